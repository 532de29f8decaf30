import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  VersionServiceControllerMethods,
  type VersionServiceController,
} from '@/generated/project/v1/project';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { pageQuery, type PageQuery } from '../dto/project.schemas';
import {
  addVersionTasksRequest,
  changeVersionStatusRequest,
  createFeatureRequest,
  createVersionRequest,
  updateFeatureRequest,
  updateVersionRequest,
  type AddVersionTasksRequest,
  type ChangeVersionStatusRequest,
  type CreateFeatureRequest,
  type CreateVersionRequest,
  type UpdateFeatureRequest,
  type UpdateVersionRequest,
} from '../dto/version.schemas';
import { VersionService } from '../version.service';

const PROJECT_DATA = "a project's data, under its membership";

/** msproject.project.v1.VersionService: the same rules, and schemas, as the REST API. */
@Controller()
@VersionServiceControllerMethods()
export class VersionsGrpcController implements GrpcService<VersionServiceController> {
  constructor(private readonly versions: VersionService) {}

  // Version libraries

  @NotOrgScoped(PROJECT_DATA)
  async listFeatures(
    @SubjectId('projectId', 'project') projectId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.listFeatures(caller.memberId, projectId));
  }

  @NotOrgScoped(PROJECT_DATA)
  async createFeature(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(createFeatureRequest, { omit: ['projectId'] }) request: CreateFeatureRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.createFeature(caller.memberId, projectId, request));
  }

  @NotOrgScoped(PROJECT_DATA)
  async updateFeature(
    @SubjectId('id', 'feature') id: number,
    @ValidPayload(updateFeatureRequest, { omit: ['id'], emptyMeansNull: ['description'] })
    request: UpdateFeatureRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.updateFeature(caller.memberId, id, request));
  }

  @NotOrgScoped(PROJECT_DATA)
  async deleteFeature(@SubjectId('id', 'feature') id: number, @CurrentCaller() caller: Caller) {
    await this.versions.deleteFeature(caller.memberId, id);
    return {};
  }

  // Versions

  @NotOrgScoped(PROJECT_DATA)
  async listVersions(
    @SubjectId('featureId', 'feature') featureId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.listVersions(caller.memberId, featureId));
  }

  @NotOrgScoped(PROJECT_DATA)
  async createVersion(
    @SubjectId('featureId', 'feature') featureId: number,
    @ValidPayload(createVersionRequest, { omit: ['featureId'] }) request: CreateVersionRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.createVersion(caller.memberId, featureId, request));
  }

  @NotOrgScoped(PROJECT_DATA)
  async getVersion(@SubjectId('id', 'version') id: number, @CurrentCaller() caller: Caller) {
    return wireMessage(await this.versions.getVersion(caller.memberId, id));
  }

  @NotOrgScoped(PROJECT_DATA)
  async updateVersion(
    @SubjectId('id', 'version') id: number,
    @ValidPayload(updateVersionRequest, {
      omit: ['id'],
      emptyMeansNull: ['description', 'startAt', 'plannedPublishAt'],
    })
    request: UpdateVersionRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.updateVersion(caller.memberId, id, request));
  }

  @NotOrgScoped(PROJECT_DATA)
  async changeVersionStatus(
    @SubjectId('id', 'version') id: number,
    @ValidPayload(changeVersionStatusRequest, { omit: ['id'] })
    request: ChangeVersionStatusRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.changeStatus(caller.memberId, id, request));
  }

  @NotOrgScoped(PROJECT_DATA)
  async deleteVersion(@SubjectId('id', 'version') id: number, @CurrentCaller() caller: Caller) {
    await this.versions.deleteVersion(caller.memberId, id);
    return {};
  }

  @NotOrgScoped(PROJECT_DATA)
  async listVersionLog(
    @SubjectId('versionId', 'version') versionId: number,
    @ValidPayload(pageQuery, { omit: ['versionId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.listLog(caller.memberId, versionId, paging));
  }

  @NotOrgScoped(PROJECT_DATA)
  async listVersionTasks(
    @SubjectId('versionId', 'version') versionId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.versions.listVersionTasks(caller.memberId, versionId));
  }

  @NotOrgScoped(PROJECT_DATA)
  async addVersionTasks(
    @SubjectId('versionId', 'version') versionId: number,
    @ValidPayload(addVersionTasksRequest, { omit: ['versionId'] })
    request: AddVersionTasksRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return this.versions.addTasks(caller.memberId, versionId, request);
  }

  @NotOrgScoped(PROJECT_DATA)
  async removeTaskFromVersion(
    @SubjectId('taskId', 'task') taskId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.versions.removeTask(caller.memberId, taskId);
    return {};
  }
}
