import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/auth.decorators';
import { CustomerIdParam } from '../http/params';
import { ApiCommandRoute } from '../http/openapi';
import { ReferralResultDto } from './dto/command-result.dto';
import { ReferCustomerDto } from './dto/refer-customer.dto';
import { runCommand } from './run-command';

/**
 * Referrals. The path names the referrer; the command runs on the REFERRED customer's stream,
 * whose single-stream append decides "one referrer per customer" without a race. The reward
 * follows from the referred customer's first purchase, by a process manager (src/process-managers).
 */
@ApiTags('commands')
@ApiBearerAuth()
@Roles('writer')
@Controller('v1/customers/:customerId')
export class ReferralCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('referrals')
  @HttpCode(201)
  @ApiCommandRoute({
    operationId: 'referCustomer',
    summary: 'Record that this customer referred another',
    result: ReferralResultDto,
    errors: ['SELF_REFERRAL', 'REFERRAL_EXISTS', 'REFERRAL_NOT_ELIGIBLE'],
    description:
      'Runs on the referred customer\'s stream: 201 CustomerReferred; 200 when the same referral was recorded already; 422 SELF_REFERRAL, 409 REFERRAL_EXISTS (another referrer), 422 REFERRAL_NOT_ELIGIBLE (the referred customer has purchased), 404 CUSTOMER_NOT_FOUND (either customer). The answer\'s customerId is the referred customer. The referrer is rewarded REFERRAL_REWARD_POINTS (200) points after the referred customer\'s first purchase, asynchronously.',
  })
  refer(@CustomerIdParam() referrerId: string, @Body() body: ReferCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return runCommand(this.commandBus, request, reply, `referral:${referrerId}`, (_context, occurredAt) => ({
      type: 'ReferCustomer',
      data: { customerId: body.referredCustomerId, referrerId, occurredAt: occurredAt(body.occurredAt) },
    }));
  }
}
