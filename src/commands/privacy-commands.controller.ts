import { Body, Controller, Delete, HttpCode, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/auth.decorators';
import { ApiCommandRoute } from '../http/openapi';
import { CustomerIdParam } from '../http/params';
import { ForgetResultDto } from './dto/command-result.dto';
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
  @ApiCommandRoute({ operationId: 'forgetCustomer', summary: "Erase the customer's personal data (crypto-shredding)", description: 'Appends CustomerForgotten and destroys the data key; answers 200 (not 201) when it erased. Later commands for the customer answer 410 CUSTOMER_FORGOTTEN.', result: ForgetResultDto, changedStatus: 200 })
  forget(@CustomerIdParam() customerId: string, @Body() body: ForgetCustomerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return runCommand(this.commandBus, request, reply, `forget:${customerId}`, (_context, occurredAt) => ({ type: 'ForgetCustomer', data: { customerId, reason: body.reason, occurredAt: occurredAt(body.occurredAt) } }), 200);
  }
}
