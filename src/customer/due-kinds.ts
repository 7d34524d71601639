/** The registry of due kinds: every capability's time-driven rules (adding one touches its capability and this list). */
import type { DueKind } from './due';
import { complaintSlaDue } from './care/sla';
import { stageDue } from './lifecycle/stage';

export const DUE_KINDS: readonly DueKind[] = [stageDue, complaintSlaDue];
