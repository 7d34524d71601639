import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/auth.decorators';
import type { CustomerCommand } from '../customer/commands';
import { canonicalInstant } from '../http/instant';
import { markRequest, stageEnd, stageStart } from '../metrics/stage-probe';
import { CustomerIdParam, ComplaintIdParam } from '../http/params';
import type { CommandResult } from './command-result';
import { commandContext, generatedId } from './command-context';
import { ChangeTierDto } from './dto/change-tier.dto';
import { EvaluateCustomerDto } from './dto/evaluate-customer.dto';
import { FileComplaintDto } from './dto/file-complaint.dto';
import { RecordPurchaseDto } from './dto/record-purchase.dto';
import { RecordVisitDto } from './dto/record-visit.dto';
import { RegisterCustomerDto } from './dto/register-customer.dto';
import { ResolveComplaintDto } from './dto/resolve-complaint.dto';
import { ExecuteCustomerCommand, type CommandContext } from './execute-customer-command';

/** The command routes of API.md: each builds a domain command and hands it to the one pipeline. */
@ApiTags('commands')
@ApiBearerAuth()
@Roles('writer')
@Controller('v1/customers')
export class CustomerCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  register(@Body() body: RegisterCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, 'register', (context, occurredAt) => ({
      type: 'RegisterCustomer',
      data: {
        customerId: body.customerId ?? generatedId(context, 'customerId'),
        name: body.name,
        email: body.email ?? null,
        phone: body.phone ?? null,
        address: body.address ?? null,
        outletId: body.outletId ?? null,
        preferences: { channels: body.preferences?.channels ?? [], categories: body.preferences?.categories ?? [] },
        occurredAt: occurredAt(body.occurredAt),
      },
    }));
  }

  @Post(':customerId/visits')
  @HttpCode(201)
  recordVisit(@CustomerIdParam() customerId: string, @Body() body: RecordVisitDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `visit:${customerId}`, (context, occurredAt) => ({
      type: 'RecordVisit',
      data: { customerId, visitId: body.visitId ?? generatedId(context, 'visitId'), outletId: body.outletId, channel: body.channel, purpose: body.purpose ?? null, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/complaints')
  @HttpCode(201)
  fileComplaint(@CustomerIdParam() customerId: string, @Body() body: FileComplaintDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `complaint:${customerId}`, (context, occurredAt) => ({
      type: 'FileComplaint',
      data: {
        customerId,
        complaintId: body.complaintId ?? generatedId(context, 'complaintId'),
        channel: body.channel,
        category: body.category,
        severity: body.severity,
        description: body.description,
        occurredAt: occurredAt(body.occurredAt),
      },
    }));
  }

  @Post(':customerId/complaints/:complaintId/resolution')
  @HttpCode(201)
  resolveComplaint(
    @CustomerIdParam() customerId: string,
    @ComplaintIdParam() complaintId: string,
    @Body() body: ResolveComplaintDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, `resolution:${customerId}:${complaintId}`, (_context, occurredAt) => ({
      type: 'ResolveComplaint',
      data: { customerId, complaintId, resolution: body.resolution, satisfaction: body.satisfaction ?? null, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/purchases')
  @HttpCode(201)
  recordPurchase(@CustomerIdParam() customerId: string, @Body() body: RecordPurchaseDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `purchase:${customerId}`, (_context, occurredAt) => ({
      type: 'RecordPurchase',
      data: {
        customerId,
        purchaseId: body.purchaseId,
        amount: body.amount,
        currency: body.currency,
        exchangeRate: body.exchangeRate ?? null,
        outletId: body.outletId ?? null,
        items: (body.items ?? []).map(({ sku, quantity, amount }) => ({ sku, quantity, amount })),
        occurredAt: occurredAt(body.occurredAt),
      },
    }));
  }

  @Post(':customerId/tier')
  @HttpCode(201)
  changeTier(@CustomerIdParam() customerId: string, @Body() body: ChangeTierDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `tier:${customerId}`, (_context, occurredAt) => ({
      type: 'ChangeTier',
      data: { customerId, tier: body.tier, reason: body.reason, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  /** Appends what time alone has made due up to `asOf` (stage, expiry, tier review, SLA breach), in time order. */
  @Post(':customerId/evaluation')
  @HttpCode(201)
  evaluate(@CustomerIdParam() customerId: string, @Body() body: EvaluateCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `evaluation:${customerId}`, (_context, occurredAt) => ({ type: 'EvaluateCustomer', data: { customerId, occurredAt: occurredAt(body.asOf) } }));
  }

  /** The first wave's name of the evaluation route, kept for the services that call it. */
  @Post(':customerId/lifecycle/evaluation')
  @HttpCode(201)
  evaluateLifecycle(@CustomerIdParam() customerId: string, @Body() body: EvaluateCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.evaluate(customerId, body, request, reply);
  }

  /** Runs a command; 201 when it appended, 200 with the first response when it changed nothing. */
  private async run(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    route: string,
    build: (context: CommandContext, occurredAt: (given: string | undefined) => string) => CustomerCommand,
  ): Promise<CommandResult> {
    const start = stageStart();
    const now = new Date();
    const context = commandContext(request, route, now);
    const occurredAt = (given: string | undefined) => (given === undefined ? now.toISOString() : canonicalInstant(given));
    const command = new ExecuteCustomerCommand(build(context, occurredAt), context);
    stageEnd('command context + build', start);
    const { changed, ...result } = await this.commandBus.execute(command);
    void reply.status(changed ? 201 : 200).header('etag', `"${result.revision}"`).header('x-correlation-id', context.correlationId);
    markRequest(request);
    return result;
  }
}
