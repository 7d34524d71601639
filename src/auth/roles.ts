/** API key roles; `admin` may do everything. */
export const ROLES = ['writer', 'auditor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who sent a request: the API key's name and role (stored in every event's metadata). */
export interface Actor {
  name: string;
  role: Role;
}
