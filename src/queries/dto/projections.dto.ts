/** What the projection routes answer (src/queries/projections.controller.ts), for the OpenAPI document. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROJECTIONS } from '../../../projections';
import { int, num } from '../../http/api-fields';

const NAMES = PROJECTIONS.map((projection) => projection.name);

export class RebuildProgressDto {
  @ApiProperty(int(5000, undefined, { minimum: 0 }))
  applied!: number;

  @ApiProperty(int(12000, undefined, { minimum: 0 }))
  total!: number;

  @ApiProperty(num(41.67))
  percent!: number;
}

export class ProjectionStateDto {
  @ApiProperty({ enum: NAMES, example: 'customer_profiles' })
  name!: string;

  @ApiProperty({ type: String, description: 'the versioned collection it writes', example: 'customer_profiles_v3' })
  collection!: string;

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
