/** What the batch-evaluation routes answer (src/evaluation/evaluations.controller.ts), for the OpenAPI document. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { instant, int } from '../http/api-fields';

const STATUSES = ['running', 'completed', 'failed'];

export class EvaluationStartedDto {
  @ApiProperty({ type: String, format: 'uuid', example: '5f0c6a4e-2b1d-4c3e-8f9a-0b1c2d3e4f5a' })
  evaluationId!: string;

  @ApiProperty({ enum: STATUSES, example: 'running' })
  status!: string;

  @ApiProperty(instant('the business time evaluated at'))
  asOf!: string;
}

export class EvaluationRunDto extends EvaluationStartedDto {
  @ApiProperty(int(120, 'customers the due_dates index listed as due', { minimum: 0 }))
  due!: number;

  @ApiProperty(int(120, undefined, { minimum: 0 }))
  evaluated!: number;

  @ApiProperty(int(30, 'customers whose evaluation appended something', { minimum: 0 }))
  changed!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  failed!: number;

  @ApiProperty(instant())
  startedAt!: string;

  @ApiProperty(instant(undefined, true))
  finishedAt!: string | null;

  @ApiPropertyOptional({ type: String, example: 'read store unavailable' })
  error?: string;
}
