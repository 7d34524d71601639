import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from './roles';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
/** The OpenAPI extension a public operation carries; completeOpenApi (src/http/openapi.ts) turns it into `security: []`. */
export const PUBLIC_EXTENSION = 'x-public';

/** Roles that may call a route (admin always may). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** A route anyone may call without a key, never rate limited (/health, /problems); documented so. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(PUBLIC_EXTENSION, true));
