/** What GET /health answers (src/health/health.controller.ts), for the OpenAPI document. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { int } from '../http/api-fields';

const CHECK = { enum: ['up', 'down'], example: 'up' };

export class ProjectionHealthDto {
  @ApiProperty({ type: String, example: 'customer_profiles' })
  name!: string;

  @ApiProperty({ enum: ['running', 'rebuilding', 'stopped', 'failed'], example: 'running' })
  status!: string;

  @ApiProperty(int(0, undefined, { minimum: 0, nullable: true }))
  lag!: number | null;

  @ApiPropertyOptional({ type: String })
  error?: string;
}

export class LiveDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: string;
}

export class CheckDto {
  @ApiProperty({ type: Boolean, example: true })
  ok!: boolean;

  @ApiPropertyOptional({ type: String, description: 'why not, or a note', example: 'read store: cannot write: SQLITE_FULL' })
  reason?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: CheckDto })
  eventStore!: CheckDto;

  @ApiProperty({ type: CheckDto })
  readStore!: CheckDto;

  @ApiProperty({ type: CheckDto })
  keyStore!: CheckDto;

  @ApiProperty({ type: CheckDto })
  projections!: CheckDto;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status!: string;

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status!: string;

  @ApiProperty(CHECK)
  eventStore!: string;

  @ApiProperty(CHECK)
  readStore!: string;

  @ApiProperty({ ...CHECK, description: 'the key store of personal data (beside the read store)' })
  keyStore!: string;

  @ApiProperty({
    description: 'each projection this process runs, or "external" when the projector process runs them',
    oneOf: [{ type: 'array', items: { $ref: '#/components/schemas/ProjectionHealthDto' } }, { type: 'string', enum: ['external'] }],
    example: [{ name: 'customer_profiles', status: 'running', lag: 0 }],
  })
  projections!: ProjectionHealthDto[] | 'external';
}
