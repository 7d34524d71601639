/** Business-time arithmetic on ISO instants; the domain never reads a clock. */
export const DAY_MS = 86_400_000;

export const toMs = (iso: string): number => Date.parse(iso);
export const toIso = (ms: number): string => new Date(ms).toISOString();
export const addDays = (iso: string, days: number): string => toIso(toMs(iso) + days * DAY_MS);
