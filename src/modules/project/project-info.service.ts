import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { TracedService } from '@/telemetry/traced-service';
import {
  MAX_PROJECT_INFO_FIELDS,
  type CreateProjectInfoFieldRequest,
  type UpdateProjectInfoFieldRequest,
} from './dto/project-info.schemas';
import { projectInfoFieldView } from './dto/project-info.views';
import { ProjectAccess } from './project-access';
import { ProjectInfoRepository, type InfoFieldChanges } from './project-info.repository';
import { RecentWrites } from './recent-writes';

/**
 * A project's custom information fields (the Overview's "project information"): its members
 * read them; its owner writes them, as the project's name and description, while the project
 * is out of the recycle bin.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class ProjectInfoService {
  constructor(
    private readonly fields: ProjectInfoRepository,
    private readonly access: ProjectAccess,
    private readonly recentWrites: RecentWrites,
  ) {}

  /** By sort, then oldest first. */
  async listFields(memberId: number, projectId: number) {
    await this.access.require(memberId, projectId);
    const rows = await this.fields.listForProject(projectId);
    return { items: rows.map(projectInfoFieldView) };
  }

  async createField(memberId: number, projectId: number, request: CreateProjectInfoFieldRequest) {
    ProjectAccess.writable(await this.access.require(memberId, projectId, 'owner'));
    const field = await this.fields.createField(
      projectId,
      memberId,
      {
        name: request.name,
        value: request.value ?? '',
        description: request.description || null,
        sort: request.sort,
      },
      (count) => {
        if (count >= MAX_PROJECT_INFO_FIELDS) {
          throw Problem.failedPrecondition(
            `a project keeps at most ${MAX_PROJECT_INFO_FIELDS} information fields`,
            undefined,
            'too_many_info_fields',
          );
        }
      },
    );
    await this.recentWrites.written(memberId);
    return projectInfoFieldView(field);
  }

  async updateField(memberId: number, fieldId: number, request: UpdateProjectInfoFieldRequest) {
    await this.writable(memberId, fieldId);
    const changes: InfoFieldChanges = {};
    if (request.name !== undefined) changes.name = request.name;
    if (request.value !== undefined) changes.value = request.value;
    if (request.description !== undefined) changes.description = request.description || null;
    if (request.sort !== undefined) changes.sort = request.sort;
    const field = await this.fields.updateField(fieldId, changes);
    await this.recentWrites.written(memberId);
    return projectInfoFieldView(field);
  }

  async deleteField(memberId: number, fieldId: number): Promise<void> {
    await this.writable(memberId, fieldId);
    await this.fields.deleteField(fieldId);
    await this.recentWrites.written(memberId);
  }

  /**
   * A field the member may change: they own its project, which is out of the bin. A field of
   * a project they are not a member of is not found, as an unknown one.
   */
  private async writable(memberId: number, fieldId: number) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const field = await this.fields.findField(fieldId);
    if (!field) throw Problem.notFound('project information field not found');
    ProjectAccess.writable(
      await this.access.require(memberId, field.projectId, 'owner').catch(notFoundAsField),
    );
    return field;
  }
}

function notFoundAsField(error: unknown): never {
  throw error instanceof Problem && error.status === 404
    ? Problem.notFound('project information field not found')
    : error;
}
