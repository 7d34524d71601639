import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** Roles that may call a route (admin always may). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** A route anyone may call without a key (only /health, /health/live, /health/ready). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
