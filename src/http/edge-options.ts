/** Settings of the HTTP edge that controllers need (from AppConfig), provided under EDGE_OPTIONS. */
export interface EdgeOptions {
  /** How long a read with `waitForPosition` waits before answering 504 POSITION_NOT_REACHED. */
  waitForPositionMs: number;
}

export const EDGE_OPTIONS = Symbol('EDGE_OPTIONS');

export const DEFAULT_EDGE_OPTIONS: EdgeOptions = { waitForPositionMs: 5000 };
