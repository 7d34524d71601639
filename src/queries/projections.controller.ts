import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ProblemError } from '../http/problem';
import { Projections } from '../projection-engine/projections';
import { ApiRoute } from '../http/openapi';
import { ProjectionStateDto, RebuildStartedDto } from './dto/projections.dto';

/** Admin view and control of the projections run by this process. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(@Inject(Projections) private readonly engine: Projections | null) {}

  /** The projections, then the process managers (kind 'process-manager'). */
  @Get()
  @ApiRoute({
    operationId: 'listProjections',
    summary: 'Projections and process managers run by this process',
    description:
      'Projections: {name, kind: "projection", collection, position, lag, status: running|rebuilding|stopped|failed, error?, progress?}. ' +
      'Process managers: {name, kind: "process-manager", checkpoint, position, lag, status: running|stopped|failed, handled, refused, lastError, error?} ' +
      '(handled / refused count the reactions since this process started; error is a store fault being retried).',
    type: [ProjectionStateDto],
    errors: ['NOT_FOUND', 'STORE_UNAVAILABLE'],
  })
  async list() {
    const engine = this.running();
    return [...(await engine.states()), ...(await engine.processManagerStates())];
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiRoute({ operationId: 'rebuildProjection', summary: 'Rebuild a projection into a new version of its collection', type: RebuildStartedDto, status: 202, errors: ['NOT_FOUND', 'STORE_UNAVAILABLE'] })
  async rebuild(@Param('name') name: string) {
    const engine = this.running();
    if (!engine.definition(name)) throw new ProblemError(404, 'NOT_FOUND', `no projection named ${name}`);
    const { collection } = await engine.rebuild(name);
    return { name, status: 'rebuilding', collection };
  }

  private running(): Projections {
    if (!this.engine) throw new ProblemError(404, 'NOT_FOUND', 'projections run in the projector process (RUN_PROJECTIONS=false here)');
    return this.engine;
  }
}
