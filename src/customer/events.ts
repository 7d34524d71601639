/** The events of a customer stream (`customer-<customerId>`); payloads carry business time `occurredAt`. */
import type { CareEvent } from './care/events';
import type { LifecycleEvent } from './lifecycle/events';
import type { PrivacyEvent } from './privacy/events';
import type { PurchaseEvent } from './purchases/events';
import type { ReferralEvent } from './referrals/events';
import type { RegistrationEvent } from './registration/events';

export type * from './care/events';
export type * from './lifecycle/events';
export type * from './privacy/events';
export type * from './purchases/events';
export type * from './referrals/events';
export type * from './registration/events';
export { CONSENT_CHANNELS, CONSENT_PURPOSES, PROFILE_FIELDS } from './registration/events';
export { COMPLAINT_SEVERITIES, FOLLOW_UP_OUTCOMES, FOLLOW_UP_REASONS, SURVEY_CHANNELS, VISIT_CHANNELS, VISIT_PURPOSES } from './care/events';

export type CustomerEvent = RegistrationEvent | CareEvent | PurchaseEvent | LifecycleEvent | ReferralEvent | PrivacyEvent;

export type CustomerEventType = CustomerEvent['type'];

/** Payload schema version per event type, stored in each event's metadata; a change comes with an upcaster (upcasters.ts). */
export const SCHEMA_VERSIONS = {
  CustomerRegistered: 1,
  CustomerProfileUpdated: 1,
  ConsentChanged: 1,
  CustomerVisited: 1,
  ComplaintFiled: 2,
  ComplaintResolved: 1,
  ComplaintAssigned: 1, ComplaintEscalated: 1, ComplaintReopened: 1, ComplaintSlaBreached: 1, FollowUpScheduled: 1, FollowUpCompleted: 1, FollowUpCancelled: 1, SurveyAnswered: 1,
  PurchaseRecorded: 2,
  PurchaseRefunded: 1,
  PointsEarned: 1,
  PointsRedeemed: 1,
  PointsExpired: 1,
  PointsReversed: 1,
  PointsAdjusted: 1,
  TierChanged: 2,
  TierReviewed: 1,
  LifecycleStageChanged: 1,
  CustomerReferred: 1,
  ReferralQualified: 1,
  ReferralRewarded: 1,
  CustomerForgotten: 1,
} as const satisfies Record<CustomerEventType, number>;
