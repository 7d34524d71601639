/** Nest injection token of the configured ReadModelStore adapter. */
export const READ_MODEL_STORE = Symbol('ReadModelStore');
