/** Nest token of the process's PersonalDataVault. */
export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');
