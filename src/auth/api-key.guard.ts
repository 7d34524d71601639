import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from '../http/problem';
import { ApiKeys } from './api-keys';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Actor, Role } from './roles';

export const UNAUTHENTICATED_DETAIL = 'send a valid API key as "Authorization: Bearer <key>"';

export type AuthenticatedRequest = FastifyRequest & { actor: Actor };

/** Bearer API keys on every route: 401 without a known key, 403 when its role may not use the route. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeys) private readonly keys: ApiKeys,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = this.keys.authenticateRequest(request);
    if (!actor) throw new ProblemError(401, 'UNAUTHENTICATED', UNAUTHENTICATED_DETAIL);
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (actor.role !== 'admin' && !allowed.includes(actor.role))
      throw new ProblemError(403, 'FORBIDDEN', `role ${actor.role} may not use this route (allowed: ${['admin', ...allowed].join(', ')})`);
    request.actor = actor;
    return true;
  }
}
