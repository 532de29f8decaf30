import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { BoardAccess } from './board-access';
import type { CreateStageRequest, Paging, UpdateStageRequest } from './dto/project.schemas';
import { pageOf, stageView } from './dto/project.views';
import { ProjectAccess } from './project-access';
import { StageRepository } from './stage.repository';

/** The stages of a task board, in their order. */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class StageService {
  constructor(
    private readonly stages: StageRepository,
    private readonly access: ProjectAccess,
    private readonly board: BoardAccess,
  ) {}

  async listStages(memberId: number, projectId: number, paging: Paging) {
    await this.access.require(memberId, projectId);
    const { rows, total } = await this.stages.listStages(projectId, paging);
    return pageOf(rows.map(stageView), total, paging);
  }

  async createStage(memberId: number, projectId: number, request: CreateStageRequest) {
    ProjectAccess.writable(await this.access.require(memberId, projectId, 'owner'));
    const stage = await this.stages.createStage(
      projectId,
      request.name,
      request.description ?? null,
    );
    await this.board.written(memberId);
    return stageView(stage);
  }

  async updateStage(memberId: number, stageId: number, request: UpdateStageRequest) {
    const found = await this.board.stageFor(memberId, stageId, 'owner');
    ProjectAccess.writable(found);
    await this.stages.updateStage(stageId, request);
    await this.board.written(memberId);
    return stageView({ ...found.stage, ...request });
  }

  async deleteStage(memberId: number, stageId: number) {
    ProjectAccess.writable(await this.board.stageFor(memberId, stageId, 'owner'));
    if (!(await this.stages.deleteEmptyStage(stageId))) {
      throw Problem.failedPrecondition('move or finish the tasks of this stage first', 'stageId');
    }
    await this.board.written(memberId);
  }

  /** `stageIds` must name every stage of the project once, in the new order. */
  async reorderStages(memberId: number, projectId: number, ids: number[]) {
    ProjectAccess.writable(await this.access.require(memberId, projectId, 'owner'));
    if (!(await this.stages.reorderStages(projectId, ids))) {
      throw Problem.invalid([
        { field: 'stageIds', message: 'must list every stage of the project exactly once' },
      ]);
    }
    await this.board.written(memberId);
    return this.listStages(memberId, projectId, { page: 1, pageSize: 100 });
  }
}
