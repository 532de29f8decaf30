import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import { FileServiceControllerMethods, type FileServiceController } from '@/generated/file/v1/file';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  listProjectFilesQuery,
  listTaskFilesQuery,
  renameFileRequest,
  type ListProjectFilesQuery,
  type ListTaskFilesQuery,
  type RenameFileRequest,
} from '../dto/file.schemas';
import type { FileView } from '../dto/file.views';
import { AvatarService } from '../avatar.service';
import { ImageService } from '../image.service';
import { FileService } from '../file.service';

const FILE_RULES = "a task's files: the task's viewers in its project";
const OWN_AVATAR = "the member's own avatar";

/** SetAvatar's message: the image in base64 (its size is checked against avatars.maxBytes). */
const setAvatarMessage = z.strictObject({
  image: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')
    .optional(),
});
type SetAvatarMessage = z.infer<typeof setAvatarMessage>;

/** UploadImage's message: the picture in base64 (its size is checked against images.maxBytes). */
const uploadImageMessage = z.strictObject({
  organizationId: z.string().optional(),
  image: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')
    .optional(),
});
type UploadImageMessage = z.infer<typeof uploadImageMessage>;

/** A file as its message: int64 sizes travel as decimal strings. */
const fileMessage = (view: FileView) => wireMessage({ ...view, size: String(view.size) });

const pageMessage = (page: {
  items: FileView[];
  total: number;
  page: number;
  pageSize: number;
}) => ({
  ...page,
  items: page.items.map(fileMessage),
});

/**
 * msproject.file.v1.FileService: the metadata operations of the REST API, with its rules and
 * schemas. Bytes are uploaded and downloaded over REST only.
 */
@Controller()
@FileServiceControllerMethods()
export class FilesGrpcController implements GrpcService<FileServiceController> {
  constructor(
    private readonly files: FileService,
    private readonly avatars: AvatarService,
    private readonly images: ImageService,
  ) {}

  @NotOrgScoped(FILE_RULES)
  async listTaskFiles(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(listTaskFilesQuery, { omit: ['taskId'] }) query: ListTaskFilesQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return pageMessage(await this.files.listTaskFiles(caller.memberId, taskId, query));
  }

  @NotOrgScoped(FILE_RULES)
  async listProjectFiles(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(listProjectFilesQuery, { omit: ['projectId'] }) query: ListProjectFilesQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return pageMessage(await this.files.listProjectFiles(caller.memberId, projectId, query));
  }

  @NotOrgScoped(FILE_RULES)
  async getFile(@SubjectId('id', 'file') id: number, @CurrentCaller() caller: Caller) {
    return fileMessage(await this.files.getFile(caller.memberId, id));
  }

  @NotOrgScoped(FILE_RULES)
  async renameFile(
    @SubjectId('id', 'file') id: number,
    @ValidPayload(renameFileRequest, { omit: ['id'] }) request: RenameFileRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return fileMessage(await this.files.renameFile(caller.memberId, id, request.title));
  }

  @NotOrgScoped(FILE_RULES)
  async deleteFile(@SubjectId('id', 'file') id: number, @CurrentCaller() caller: Caller) {
    await this.files.deleteFile(caller.memberId, id);
    return {};
  }

  @NotOrgScoped(FILE_RULES)
  async restoreFile(@SubjectId('id', 'file') id: number, @CurrentCaller() caller: Caller) {
    return fileMessage(await this.files.restoreFile(caller.memberId, id));
  }

  @NotOrgScoped(FILE_RULES)
  createDownloadLink(@SubjectId('id', 'file') id: number, @CurrentCaller() caller: Caller) {
    return this.files.downloadLink(caller.memberId, id);
  }

  @NotOrgScoped(FILE_RULES)
  async purgeFile(@SubjectId('id', 'file') id: number, @CurrentCaller() caller: Caller) {
    await this.files.purgeFile(caller.memberId, id);
    return {};
  }

  @NotOrgScoped(OWN_AVATAR)
  getAvatar(@CurrentCaller() caller: Caller) {
    return this.avatars.describe(caller.memberId);
  }

  @NotOrgScoped(OWN_AVATAR)
  setAvatar(
    @ValidPayload(setAvatarMessage) request: SetAvatarMessage,
    @CurrentCaller() caller: Caller,
  ) {
    return this.avatars.setAvatar(
      caller.memberId,
      Buffer.from(request.image ?? '', 'base64'),
      'image',
    );
  }

  @NotOrgScoped(OWN_AVATAR)
  removeAvatar(@CurrentCaller() caller: Caller) {
    return this.avatars.removeAvatar(caller.memberId);
  }

  @OrgPermission('project/index/index')
  uploadImage(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(uploadImageMessage, { omit: ['organizationId'] }) request: UploadImageMessage,
    @CurrentCaller() caller: Caller,
  ) {
    return this.images.upload(
      caller.memberId,
      organizationId,
      Buffer.from(request.image ?? '', 'base64'),
      'image',
    );
  }
}
