/** The registry of due kinds: every capability's time-driven rules (adding one touches its capability and this list). */
import type { DueKind } from './due';
import { complaintSlaDue } from './care/sla';
import { stageDue } from './lifecycle/stage';
import { pointsExpiryDue } from './purchases/expiry';
import { tierReviewDue } from './purchases/tiers';

/** In this order when two come due at the same instant: points expire before a review, a review before a stage change, then SLA breaches. */
export const DUE_KINDS: readonly DueKind[] = [pointsExpiryDue, tierReviewDue, stageDue, complaintSlaDue];
