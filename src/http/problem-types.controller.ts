import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ERROR_DESCRIPTIONS } from './error-descriptions';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from './error-codes';
import { problemTypeOf, ProblemError } from './problem';
import { ApiRoute } from './openapi';
import { ProblemTypeDto, ProblemTypesDto } from './problem-type.dto';

/** One problem type as served at its `type` URI. */
const describe = (code: ErrorCode) => ({ type: problemTypeOf(code), code, status: ERROR_STATUS[code], description: ERROR_DESCRIPTIONS[code] });
const BY_SLUG = new Map(ERROR_CODES.map((code) => [problemTypeOf(code).slice('/problems/'.length), code]));

/** The documentation every problem's `type` points at, served by the service itself (no key needed). */
@ApiTags('operations')
@Controller('problems')
export class ProblemTypesController {
  @Get()
  @Public()
  @Header('cache-control', 'public, max-age=86400')
  @ApiRoute({ operationId: 'listProblemTypes', summary: 'Every problem type the API answers with: code, status and when it is sent', type: ProblemTypesDto })
  list() {
    return { problems: ERROR_CODES.map(describe) };
  }

  @Get(':type')
  @Public()
  @Header('cache-control', 'public, max-age=86400')
  @ApiRoute({ operationId: 'getProblemType', summary: 'One problem type (the `type` of a problem+json body)', type: ProblemTypeDto, errors: ['NOT_FOUND'] })
  one(@Param('type') type: string) {
    const code = BY_SLUG.get(type);
    if (!code) throw new ProblemError(404, 'NOT_FOUND', `no problem type ${type.slice(0, 100)}`);
    return describe(code);
  }
}
