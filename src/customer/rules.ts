/** The ledger-wide settings rules depend on; defaults here, overridable by configuration. */
export interface Rules {
  /** ISO-4217 code every spend figure, threshold and point is counted in. */
  baseCurrency: string;
  /** How far behind the customer's clock a fact may be dated (offline tills syncing). */
  lateArrivalMaxDays: number;
}

export const DEFAULT_RULES: Rules = { baseCurrency: 'CNY', lateArrivalMaxDays: 90 };

/** How far in the future a command's occurredAt may lie (clock skew between services). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
