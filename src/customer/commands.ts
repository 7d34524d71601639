/** The commands a customer stream accepts; `occurredAt` is already defaulted by the edge. */
import type { CareCommand } from './care/commands';
import type { LifecycleCommand } from './lifecycle/commands';
import type { PrivacyCommand } from './privacy/commands';
import type { PurchaseCommand } from './purchases/commands';
import type { ReferralCommand } from './referrals/commands';
import type { RegistrationCommand } from './registration/commands';

export type * from './care/commands';
export type * from './lifecycle/commands';
export type * from './privacy/commands';
export type * from './purchases/commands';
export type * from './referrals/commands';
export type * from './registration/commands';

export type CustomerCommand = RegistrationCommand | CareCommand | PurchaseCommand | LifecycleCommand | ReferralCommand | PrivacyCommand;

export type CustomerCommandType = CustomerCommand['type'];
