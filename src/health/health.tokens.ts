/** READY_MAX_LAG (config.ts): the most events a projection may lag while /health/ready answers 200. */
export const READY_MAX_LAG = Symbol('READY_MAX_LAG');
