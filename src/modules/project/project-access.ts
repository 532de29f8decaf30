import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import type { ProjectOfMember } from './dto/project.views';
import { RecentWrites } from './recent-writes';
import { ProjectRepository } from './project.repository';

export type Need = 'member' | 'owner';

/**
 * Who may see or touch a project: its members; some operations only its owner. A non-member
 * learns nothing, not even that the project exists (404, as for an unknown id).
 */
@Injectable()
export class ProjectAccess {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly recentWrites: RecentWrites,
  ) {}

  async require(memberId: number, projectId: number, need: Need = 'member') {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const found = await this.projects.findOfMember(projectId, memberId);
    return ProjectAccess.check(found, need);
  }

  static check(found: ProjectOfMember | null, need: Need): ProjectOfMember {
    if (!found) throw Problem.notFound('project not found');
    if (need === 'owner' && found.role !== 'owner') {
      throw Problem.forbidden('only the project owner may do this');
    }
    return found;
  }

  /** Stages and tasks are written only while the project is out of the recycle bin. */
  static writable<T extends ProjectOfMember>(found: T): T {
    if (found.project.deleted) {
      throw Problem.failedPrecondition(
        'the project is in the recycle bin',
        undefined,
        'project_recycled',
      );
    }
    return found;
  }
}

/** A 404 of what something is reached through, told as the thing itself. */
export function notFoundAs(what: string) {
  return (error: unknown): never => {
    throw error instanceof Problem && error.status === 404
      ? Problem.notFound(`${what} not found`)
      : error;
  };
}
