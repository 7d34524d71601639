import { Body, Controller, HttpCode, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/auth.decorators';
import { canonicalInstant } from '../http/instant';
import type { ProfilePatch } from '../customer/commands';
import { CONSENT_CHANNELS, PROFILE_FIELDS } from '../customer/events';
import { MERGE_PATCH } from '../http/edge';
import { ApiCommandRoute } from '../http/openapi';
import { ConsentChannelParam, CustomerIdParam, ComplaintIdParam, FollowUpIdParam } from '../http/params';
import type { CommandResult } from './command-result';
import { generatedId } from './command-context';
import { AnswerSurveyDto } from './dto/answer-survey.dto';
import { AssignComplaintDto } from './dto/assign-complaint.dto';
import { CancelFollowUpDto } from './dto/cancel-follow-up.dto';
import { ChangeConsentDto } from './dto/change-consent.dto';
import { ChangeTierDto } from './dto/change-tier.dto';
import {
  CommandResultDto,
  ComplaintResultDto,
  EvaluationResultDto,
  FollowUpResultDto,
  PurchaseResultDto,
  RegistrationResultDto,
  ScheduledFollowUpResultDto,
  SurveyResultDto,
  TierResultDto,
  VisitResultDto,
} from './dto/command-result.dto';
import { CompleteFollowUpDto } from './dto/complete-follow-up.dto';
import { EscalateComplaintDto } from './dto/escalate-complaint.dto';
import { EvaluateCustomerDto } from './dto/evaluate-customer.dto';
import { FileComplaintDto } from './dto/file-complaint.dto';
import { RecordPurchaseDto } from './dto/record-purchase.dto';
import { RecordVisitDto } from './dto/record-visit.dto';
import { RegisterCustomerDto } from './dto/register-customer.dto';
import { ReopenComplaintDto } from './dto/reopen-complaint.dto';
import { ResolveComplaintDto } from './dto/resolve-complaint.dto';
import { ScheduleFollowUpDto } from './dto/schedule-follow-up.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { runCommand, type CommandBuilder } from './run-command';

/** The command routes of docs/api.md: each builds a domain command and hands it to the one pipeline. */
@ApiTags('commands')
@ApiBearerAuth()
@Roles('writer')
@Controller('v1/customers')
export class CustomerCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'registerCustomer', summary: 'Register a customer', result: RegistrationResultDto, creates: true, newCustomer: true, errors: ['CUSTOMER_ALREADY_REGISTERED'] })
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

  /** A JSON merge patch of the profile: 201 with the fields that changed recorded, 200 and nothing appended when none did. */
  @Patch(':customerId')
  @HttpCode(201)
  @ApiConsumes('application/json', MERGE_PATCH)
  @ApiCommandRoute({ operationId: 'updateProfile', summary: 'Update the profile (JSON merge patch: absent = unchanged, null = clear)', description: '201: CustomerProfileUpdated appended, carrying only the fields that changed; 200: nothing changed, nothing appended', result: CommandResultDto })
  updateProfile(@CustomerIdParam() customerId: string, @Body() body: UpdateProfileDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `profile:${customerId}`, (_context, occurredAt) => {
      const patch: Record<string, unknown> = {};
      for (const field of PROFILE_FIELDS) if (body[field] !== undefined) patch[field] = body[field];
      if (body.preferences) patch.preferences = { channels: body.preferences.channels ?? [], categories: body.preferences.categories ?? [] };
      return { type: 'UpdateProfile', data: { customerId, ...(patch as ProfilePatch), occurredAt: occurredAt(body.occurredAt) } };
    });
  }

  /** The customer's answer for one channel and purpose: 201 when it changes, 200 when it is the answer already recorded. */
  @Put(':customerId/consents/:channel')
  @HttpCode(201)
  @ApiParam({ name: 'channel', enum: CONSENT_CHANNELS })
  @ApiCommandRoute({ operationId: 'changeConsent', summary: 'Record a contact consent for one channel and purpose', description: '200 when it is the answer already recorded for this channel and purpose (nothing appended)', result: CommandResultDto })
  changeConsent(
    @CustomerIdParam() customerId: string,
    @ConsentChannelParam() channel: (typeof CONSENT_CHANNELS)[number],
    @Body() body: ChangeConsentDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, `consent:${customerId}:${channel}`, (_context, occurredAt) => ({
      type: 'ChangeConsent',
      data: { customerId, channel, purpose: body.purpose, granted: body.granted, source: body.source, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/visits')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'recordVisit', summary: 'Record a visit', result: VisitResultDto, errors: ['DUPLICATE_VISIT'] })
  recordVisit(@CustomerIdParam() customerId: string, @Body() body: RecordVisitDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `visit:${customerId}`, (context, occurredAt) => ({
      type: 'RecordVisit',
      data: { customerId, visitId: body.visitId ?? generatedId(context, 'visitId'), outletId: body.outletId, channel: body.channel, purpose: body.purpose ?? null, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/complaints')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'fileComplaint', summary: 'File a complaint', result: ComplaintResultDto, errors: ['DUPLICATE_COMPLAINT'] })
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
        outletId: body.outletId ?? null,
        occurredAt: occurredAt(body.occurredAt),
      },
    }));
  }

  @Post(':customerId/complaints/:complaintId/resolution')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'resolveComplaint', summary: 'Resolve a complaint', result: ComplaintResultDto, errors: ['COMPLAINT_NOT_FOUND', 'COMPLAINT_ALREADY_RESOLVED'] })
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

  @Post(':customerId/complaints/:complaintId/assignment')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'assignComplaint', summary: 'Assign a complaint', result: ComplaintResultDto, errors: ['COMPLAINT_NOT_FOUND', 'COMPLAINT_ALREADY_RESOLVED'] })
  assignComplaint(
    @CustomerIdParam() customerId: string,
    @ComplaintIdParam() complaintId: string,
    @Body() body: AssignComplaintDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, `assignment:${customerId}:${complaintId}`, (_context, occurredAt) => ({
      type: 'AssignComplaint',
      data: { customerId, complaintId, assignee: body.assignee, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/complaints/:complaintId/escalation')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'escalateComplaint', summary: 'Escalate a complaint', result: ComplaintResultDto, errors: ['COMPLAINT_NOT_FOUND', 'COMPLAINT_ALREADY_RESOLVED'] })
  escalateComplaint(
    @CustomerIdParam() customerId: string,
    @ComplaintIdParam() complaintId: string,
    @Body() body: EscalateComplaintDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, `escalation:${customerId}:${complaintId}`, (_context, occurredAt) => ({
      type: 'EscalateComplaint',
      data: { customerId, complaintId, reason: body.reason, severity: body.severity ?? null, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/complaints/:complaintId/reopening')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'reopenComplaint', summary: 'Reopen a resolved complaint (within 30 days)', result: ComplaintResultDto, errors: ['COMPLAINT_NOT_FOUND', 'COMPLAINT_NOT_RESOLVED', 'REOPEN_WINDOW_CLOSED'] })
  reopenComplaint(
    @CustomerIdParam() customerId: string,
    @ComplaintIdParam() complaintId: string,
    @Body() body: ReopenComplaintDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, `reopening:${customerId}:${complaintId}`, (_context, occurredAt) => ({
      type: 'ReopenComplaint',
      data: { customerId, complaintId, reason: body.reason, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/follow-ups')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'scheduleFollowUp', summary: 'Schedule a follow-up call', result: ScheduledFollowUpResultDto, errors: ['COMPLAINT_NOT_FOUND', 'DUPLICATE_FOLLOW_UP'] })
  scheduleFollowUp(@CustomerIdParam() customerId: string, @Body() body: ScheduleFollowUpDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `follow-up:${customerId}`, (context, occurredAt) => ({
      type: 'ScheduleFollowUp',
      data: {
        customerId,
        followUpId: body.followUpId ?? generatedId(context, 'followUpId'),
        dueAt: canonicalInstant(body.dueAt),
        reason: body.reason,
        complaintId: body.complaintId ?? null,
        assignee: body.assignee ?? null,
        occurredAt: occurredAt(body.occurredAt),
      },
    }));
  }

  @Post(':customerId/follow-ups/:followUpId/completion')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'completeFollowUp', summary: 'Complete a follow-up', result: FollowUpResultDto, errors: ['FOLLOW_UP_NOT_FOUND', 'FOLLOW_UP_CLOSED'] })
  completeFollowUp(
    @CustomerIdParam() customerId: string,
    @FollowUpIdParam() followUpId: string,
    @Body() body: CompleteFollowUpDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, `follow-up-completion:${customerId}:${followUpId}`, (_context, occurredAt) => ({
      type: 'CompleteFollowUp',
      data: { customerId, followUpId, outcome: body.outcome, notes: body.notes ?? null, satisfaction: body.satisfaction ?? null, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/follow-ups/:followUpId/cancellation')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'cancelFollowUp', summary: 'Cancel a follow-up', result: FollowUpResultDto, errors: ['FOLLOW_UP_NOT_FOUND', 'FOLLOW_UP_CLOSED'] })
  cancelFollowUp(
    @CustomerIdParam() customerId: string,
    @FollowUpIdParam() followUpId: string,
    @Body() body: CancelFollowUpDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, `follow-up-cancellation:${customerId}:${followUpId}`, (_context, occurredAt) => ({
      type: 'CancelFollowUp',
      data: { customerId, followUpId, reason: body.reason, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post(':customerId/surveys')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'answerSurvey', summary: 'Record a survey answer (NPS)', result: SurveyResultDto, errors: ['DUPLICATE_SURVEY'] })
  answerSurvey(@CustomerIdParam() customerId: string, @Body() body: AnswerSurveyDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `survey:${customerId}`, (context, occurredAt) => ({
      type: 'AnswerSurvey',
      data: {
        customerId,
        surveyId: body.surveyId ?? generatedId(context, 'surveyId'),
        score: body.score,
        comment: body.comment ?? null,
        channel: body.channel,
        outletId: body.outletId ?? null,
        occurredAt: occurredAt(body.occurredAt),
      },
    }));
  }

  @Post(':customerId/purchases')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'recordPurchase', summary: 'Record a purchase (earns points)', result: PurchaseResultDto, errors: ['DUPLICATE_PURCHASE', 'EXCHANGE_RATE_REQUIRED'] })
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
  @ApiCommandRoute({ operationId: 'changeTier', summary: 'Change the tier manually', description: '200 when the customer already holds the tier', result: TierResultDto })
  changeTier(@CustomerIdParam() customerId: string, @Body() body: ChangeTierDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `tier:${customerId}`, (_context, occurredAt) => ({
      type: 'ChangeTier',
      data: { customerId, tier: body.tier, reason: body.reason, lockedUntil: body.lockedUntil === undefined ? null : canonicalInstant(body.lockedUntil), occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  /** Appends what time alone has made due up to `asOf` (stage, expiry, tier review, SLA breach), in time order. */
  @Post(':customerId/evaluation')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'evaluateCustomer', summary: 'Append what time has made due (stage, expiry, tier review, SLA breach)', description: '200 when nothing was due', result: EvaluationResultDto })
  evaluate(@CustomerIdParam() customerId: string, @Body() body: EvaluateCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, `evaluation:${customerId}`, (_context, occurredAt) => ({ type: 'EvaluateCustomer', data: { customerId, occurredAt: occurredAt(body.asOf) } }));
  }

  /** The first wave's name of the evaluation route, kept for the services that call it. */
  @Post(':customerId/lifecycle/evaluation')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'evaluateCustomerLifecycle', summary: 'Evaluate the customer (the first name of POST /v1/customers/{customerId}/evaluation, kept for existing callers)', result: EvaluationResultDto })
  evaluateLifecycle(@CustomerIdParam() customerId: string, @Body() body: EvaluateCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.evaluate(customerId, body, request, reply);
  }

  private run(request: AuthenticatedRequest, reply: FastifyReply, route: string, build: CommandBuilder): Promise<CommandResult> {
    return runCommand(this.commandBus, request, reply, route, build);
  }
}
