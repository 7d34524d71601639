/** What the projection routes answer (src/queries/projections.controller.ts), for the OpenAPI document. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROJECTIONS } from '../../../projections';
import { int, num } from '../../http/api-fields';
import { PROCESS_MANAGERS } from '../../process-managers';

const NAMES = PROJECTIONS.map((projection) => projection.name);
const MANAGER_NAMES = PROCESS_MANAGERS.map((manager) => manager.name);

export class RebuildProgressDto {
  @ApiProperty(int(5000, undefined, { minimum: 0 }))
  applied!: number;

  @ApiProperty(int(12000, undefined, { minimum: 0 }))
  total!: number;

  @ApiProperty(num(41.67))
  percent!: number;
}

/** A projection's state, or (kind process-manager) a process manager's. */
export class ProjectionStateDto {
  @ApiProperty({ enum: [...NAMES, ...MANAGER_NAMES], example: 'customer_profiles' })
  name!: string;

  @ApiProperty({ enum: ['projection', 'process-manager'], example: 'projection' })
  kind!: string;

  @ApiPropertyOptional({ type: String, description: 'projections: the versioned collection it writes', example: 'customer_profiles_v3' })
  collection?: string;

  @ApiPropertyOptional({ type: String, description: 'process managers: the name of their checkpoint', example: 'pm:referral-rewards' })
  checkpoint?: string;

  @ApiPropertyOptional(int(12, 'process managers: reactions sent since this process started', { minimum: 0 }))
  handled?: number;

  @ApiPropertyOptional(int(0, 'process managers: reactions the domain refused since this process started', { minimum: 0 }))
  refused?: number;

  @ApiPropertyOptional({ type: String, nullable: true, description: "process managers: the last refusal's reason", example: null })
  lastError?: string | null;

  @ApiProperty({ type: String, nullable: true, example: '1200/1200' })
  position!: string | null;

  @ApiProperty(int(0, 'events behind the head (null when the store cannot tell)', { minimum: 0, nullable: true }))
  lag!: number | null;

  @ApiProperty({ enum: ['running', 'rebuilding', 'stopped', 'failed'], example: 'running' })
  status!: string;

  @ApiPropertyOptional({ type: String, example: 'read store unavailable' })
  error?: string;

  @ApiPropertyOptional({ type: RebuildProgressDto, description: 'rebuilds (status rebuilding or failed) only' })
  progress?: RebuildProgressDto;
}

export class RebuildStartedDto {
  @ApiProperty({ enum: NAMES, example: 'customer_profiles' })
  name!: string;

  @ApiProperty({ enum: ['rebuilding'], example: 'rebuilding' })
  status!: string;

  @ApiProperty({ type: String, description: 'the new version being written', example: 'customer_profiles_v4' })
  collection!: string;
}
