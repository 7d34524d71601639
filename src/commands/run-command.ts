/** What every command route does: read the request's context, run the command, answer 201 or 200. */
import type { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { CustomerCommand } from '../customer/commands';
import { canonicalInstant } from '../http/instant';
import { markRequest, stageEnd, stageStart } from '../metrics/stage-probe';
import { commandContext } from './command-context';
import type { CommandResult } from './command-result';
import { ExecuteCustomerCommand, type CommandContext } from './execute-customer-command';

/** Builds a command from the request's context and a canonical `occurredAt` (default: the request's now). */
export type CommandBuilder = (context: CommandContext, occurredAt: (given: string | undefined) => string) => CustomerCommand;

/** Runs a command; 201 (or `changedStatus`) when it appended, 200 with the first response when it changed nothing. */
export async function runCommand(commandBus: CommandBus, request: AuthenticatedRequest, reply: FastifyReply, route: string, build: CommandBuilder, changedStatus = 201): Promise<CommandResult> {
  const start = stageStart();
  const now = new Date();
  const context = commandContext(request, route, now);
  const occurredAt = (given: string | undefined) => (given === undefined ? now.toISOString() : canonicalInstant(given));
  const command = new ExecuteCustomerCommand(build(context, occurredAt), context);
  stageEnd('command context + build', start);
  const { changed, ...result } = await commandBus.execute(command);
  void reply.status(changed ? changedStatus : 200).header('etag', `"${result.revision}"`).header('x-correlation-id', context.correlationId);
  // A registration creates the customer: say where its profile is.
  if (changed && command.command.type === 'RegisterCustomer') void reply.header('location', `/v1/customers/${encodeURIComponent(result.customerId)}`);
  markRequest(request);
  return result;
}
