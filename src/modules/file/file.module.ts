import { Module } from '@nestjs/common';
import { DatabaseModule } from '@/infra/database/database.module';
import { ProjectModule } from '../project/project.module';
import { UserModule } from '../user/user.module';
import { AvatarsController } from './api/v1/avatars.controller';
import { FilesController } from './api/v1/files.controller';
import { ImagesController } from './api/v1/images.controller';
import { ProjectFilesController } from './api/v1/project-files.controller';
import { TaskFilesController } from './api/v1/task-files.controller';
import { FILE_ENTITIES } from './entities';
import { AvatarService } from './avatar.service';
import { FilePurge } from './file-purge';
import { FileRepository } from './file.repository';
import { FileService } from './file.service';
import { ImageService } from './image.service';
import { FilesGrpcController } from './grpc/files.grpc.controller';
import { UploadService } from './upload.service';
import { UploadSessions } from './upload-sessions';

/**
 * Task attachments: uploads (plain and resumable in chunks), downloads, the recycle bin; and
 * members' avatar images and organizations' pictures, kept in the same storage. Knows
 * tasks and projects only through the project module's exports, members through UserDirectory,
 * bytes through the storage port.
 */
@Module({
  imports: [DatabaseModule.forFeature(FILE_ENTITIES), ProjectModule, UserModule],
  controllers: [
    TaskFilesController,
    ProjectFilesController,
    FilesController,
    AvatarsController,
    ImagesController,
    FilesGrpcController,
  ],
  providers: [
    FileRepository,
    FileService,
    UploadSessions,
    UploadService,
    FilePurge,
    AvatarService,
    ImageService,
  ],
  // For the web client's adapter, which calls what REST calls.
  exports: [FileService, UploadService, AvatarService, ImageService],
})
export class FileModule {}
