import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/auth.decorators';
import { ApiCommandRoute } from '../http/openapi';
import { CustomerIdParam, PurchaseIdParam } from '../http/params';
import { AdjustmentResultDto, RedemptionResultDto, RefundResultDto } from './dto/command-result.dto';
import { AdjustPointsDto, RedeemPointsDto, RefundPurchaseDto } from './dto/loyalty.dto';
import { runCommand } from './run-command';

/** The points ledger's routes: refunds (with their reversal), redemptions, administrators' adjustments. */
@ApiTags('commands')
@ApiBearerAuth()
@Roles('writer')
@Controller('v1/customers/:customerId')
export class LoyaltyCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('purchases/:purchaseId/refunds')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'refundPurchase', summary: 'Refund (part of) a purchase, reversing its points', result: RefundResultDto, errors: ['PURCHASE_NOT_FOUND', 'DUPLICATE_REFUND', 'REFUND_EXCEEDS_PURCHASE'] })
  refund(@CustomerIdParam() customerId: string, @PurchaseIdParam() purchaseId: string, @Body() body: RefundPurchaseDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return runCommand(this.commandBus, request, reply, `refund:${customerId}:${purchaseId}`, (_context, occurredAt) => ({
      type: 'RefundPurchase',
      data: { customerId, purchaseId, refundId: body.refundId, amount: body.amount, reason: body.reason, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post('redemptions')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'redeemPoints', summary: 'Redeem points', result: RedemptionResultDto, errors: ['DUPLICATE_REDEMPTION', 'INSUFFICIENT_POINTS'] })
  redeem(@CustomerIdParam() customerId: string, @Body() body: RedeemPointsDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return runCommand(this.commandBus, request, reply, `redemption:${customerId}`, (_context, occurredAt) => ({
      type: 'RedeemPoints',
      data: { customerId, redemptionId: body.redemptionId, points: body.points, reason: body.reason, outletId: body.outletId ?? null, occurredAt: occurredAt(body.occurredAt) },
    }));
  }

  @Post('points/adjustments')
  @Roles('admin')
  @HttpCode(201)
  @ApiCommandRoute({ operationId: 'adjustPoints', summary: 'Adjust points (administrators)', result: AdjustmentResultDto, errors: ['DUPLICATE_ADJUSTMENT', 'INSUFFICIENT_POINTS'] })
  adjust(@CustomerIdParam() customerId: string, @Body() body: AdjustPointsDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return runCommand(this.commandBus, request, reply, `adjustment:${customerId}`, (_context, occurredAt) => ({
      type: 'AdjustPoints',
      data: { customerId, adjustmentId: body.adjustmentId, points: body.points, reason: body.reason, occurredAt: occurredAt(body.occurredAt) },
    }));
  }
}
