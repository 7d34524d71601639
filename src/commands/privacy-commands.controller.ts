import { Body, Controller, Delete, HttpCode, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/auth.decorators';
import { CustomerIdParam } from '../http/params';
import { ForgetCustomerDto } from './dto/forget-customer.dto';
import { runCommand } from './run-command';

/** Erasure by crypto-shredding (docs/privacy.md). */
@ApiTags('commands')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/customers/:customerId')
export class PrivacyCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete('personal-data')
  @HttpCode(200)
  @ApiOperation({ summary: "Erase the customer's personal data: appends CustomerForgotten and destroys its data key; later commands answer 410 CUSTOMER_FORGOTTEN" })
  forget(@CustomerIdParam() customerId: string, @Body() body: ForgetCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return runCommand(this.commandBus, request, reply, `forget:${customerId}`, (_context, occurredAt) => ({ type: 'ForgetCustomer', data: { customerId, reason: body.reason, occurredAt: occurredAt(body.occurredAt) } }), 200);
  }
}
