/** What the problem-type routes answer (src/http/problem-types.controller.ts), for the OpenAPI document. */
import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES } from './error-codes';

export class ProblemTypeDto {
  @ApiProperty({ type: String, format: 'uri-reference', example: '/problems/customer-not-found' })
  type!: string;

  @ApiProperty({ enum: ERROR_CODES, example: 'CUSTOMER_NOT_FOUND' })
  code!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 })
  status!: number;

  @ApiProperty({ type: String, example: 'A command, audit read or read-model document for a customer that is not registered / has no document' })
  description!: string;
}

export class ProblemTypesDto {
  @ApiProperty({ type: [ProblemTypeDto] })
  problems!: ProblemTypeDto[];
}
