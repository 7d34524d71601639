/** Injection token of the domain's Rules (base currency, late-arrival window), from configuration. */
export const RULES = Symbol('RULES');
