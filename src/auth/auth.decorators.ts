import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from './roles';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
/** The OpenAPI extension a public operation carries; completeOpenApi (src/http/openapi.ts) turns it into `security: []`. */
export const PUBLIC_EXTENSION = 'x-public';

/** The OpenAPI extension naming the roles of an operation (a method's own @Roles() wins over its controller's). */
export const ROLES_EXTENSION = 'x-roles';

/** Roles that may call a route (admin always may); documented as the operation's `x-roles`. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, roles));
/** A route anyone may call without a key, never rate limited (/health, /health/live, /health/ready, /problems); documented so. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(PUBLIC_EXTENSION, true));
