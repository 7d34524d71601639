/** Shapes shared by the request DTOs (docs/api.md, Conventions). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_MESSAGE = '$property must be 1–64 characters of A–Z, a–z, 0–9, _ or -';
