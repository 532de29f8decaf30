import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createFeatureRequest,
  createVersionRequest,
  updateFeatureRequest,
  type CreateFeatureRequest,
  type CreateVersionRequest,
  type UpdateFeatureRequest,
} from '@/modules/project/dto/version.schemas';
import { VersionService } from '@/modules/project/version.service';

const PROJECT_DATA = "a project's data, under its membership";

@ApiTags('versions')
@ApiBearerAuth()
@Controller('api/v1')
export class FeaturesController {
  constructor(private readonly versions: VersionService) {}

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/ListFeatures')
  @Get('projects/:id/features')
  @ApiOperation({ summary: "A project's version libraries, newest first" })
  list(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.versions.listFeatures(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/CreateFeature')
  @Post('projects/:id/features')
  @ApiOperation({ summary: 'Add a version library to a project (names unique in the project)' })
  @ApiZodBody(createFeatureRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(createFeatureRequest) body: CreateFeatureRequest,
  ) {
    return this.versions.createFeature(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/UpdateFeature')
  @Patch('features/:id')
  @ApiOperation({ summary: 'Rename a version library or change its description' })
  @ApiZodBody(updateFeatureRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'feature') id: number,
    @ValidBody(updateFeatureRequest) body: UpdateFeatureRequest,
  ) {
    return this.versions.updateFeature(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/DeleteFeature')
  @Delete('features/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a version library with its versions; their tasks stay, in no version',
  })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'feature') id: number) {
    await this.versions.deleteFeature(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/ListVersions')
  @Get('features/:id/versions')
  @ApiOperation({ summary: "A version library's versions, oldest first, with their progress" })
  listVersions(@CurrentCaller() caller: Caller, @IdParam('id', 'feature') id: number) {
    return this.versions.listVersions(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/CreateVersion')
  @Post('features/:id/versions')
  @ApiOperation({ summary: 'Add a version to a version library (names unique in the library)' })
  @ApiZodBody(createVersionRequest)
  createVersion(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'feature') id: number,
    @ValidBody(createVersionRequest) body: CreateVersionRequest,
  ) {
    return this.versions.createVersion(caller.memberId, id, body);
  }
}
