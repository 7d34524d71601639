import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { EvaluateCustomerDto } from '../commands/dto/evaluate-customer.dto';
import { canonicalInstant } from '../http/instant';
import { ProblemError } from '../http/problem';
import { BatchEvaluation } from './batch-evaluation';
import { ApiRoute } from '../http/openapi';
import { EvaluationRunDto, EvaluationStartedDto } from './evaluation.dto';

/** Batch evaluation of every customer with something due (administrators; the service also runs it on a schedule). */
@ApiTags('evaluation')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/evaluations')
export class EvaluationsController {
  constructor(private readonly batch: BatchEvaluation) {}

  @Post()
  @HttpCode(202)
  @ApiRoute({ operationId: 'startEvaluation', summary: 'Start a batch evaluation of every customer with something due', type: EvaluationStartedDto, status: 202, errors: ['VALIDATION_FAILED', 'EVALUATION_RUNNING', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'STORE_UNAVAILABLE'] })
  async start(@Body() body: EvaluateCustomerDto) {
    const run = await this.batch.start(body.asOf === undefined ? new Date().toISOString() : canonicalInstant(body.asOf));
    return { evaluationId: run.evaluationId, status: run.status, asOf: run.asOf };
  }

  @Get(':evaluationId')
  @ApiRoute({ operationId: 'getEvaluation', summary: 'A batch evaluation and its counts', type: EvaluationRunDto, errors: ['NOT_FOUND'] })
  async get(@Param('evaluationId') evaluationId: string) {
    const run = /^[0-9a-f-]{36}$/.test(evaluationId) ? await this.batch.get(evaluationId) : null;
    if (!run) throw new ProblemError(404, 'NOT_FOUND', `no evaluation ${evaluationId}`);
    return run;
  }
}
