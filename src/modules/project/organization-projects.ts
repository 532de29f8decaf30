import { Injectable, type OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { Problem } from '@/common/problem';
import { OrganizationDissolution } from '@/modules/user/organization-dissolution';
import { Project, ProjectTemplate, StageTemplate } from './entities';

/**
 * An organization is deleted only once it holds no project (in the recycle bin and the
 * archive too): its projects are its members' work, deleted one by one by their owners, never
 * as a side effect. Its own project templates go with it.
 */
@Injectable()
export class OrganizationProjects implements OnModuleInit {
  constructor(private readonly dissolution: OrganizationDissolution) {}

  onModuleInit(): void {
    this.dissolution.on(async (organizationId, manager) => {
      if (await manager.existsBy(Project, { organizationId })) {
        throw Problem.failedPrecondition(
          'the organization still holds projects: delete them first (the recycle bin and archive included)',
          undefined,
          'organization_has_projects',
        );
      }
      const templates = await manager.find(ProjectTemplate, {
        select: { id: true },
        where: { organizationId },
      });
      if (templates.length) {
        await manager.delete(StageTemplate, {
          templateId: In(templates.map((template) => template.id)),
        });
      }
      await manager.delete(ProjectTemplate, { organizationId });
    });
  }
}
