import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { OneTransportOnly, RpcTwin } from '@/common/transport-parity';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  chunkFields,
  listTaskFilesQuery,
  singleUploadFields,
  type ListTaskFilesQuery,
} from '@/modules/file/dto/file.schemas';
import { FileService } from '@/modules/file/file.service';
import { UploadService } from '@/modules/file/upload.service';
import { ApiMultipartBody } from './upload-docs';

const BYTES = 'file bytes travel over REST';
const TASK_RULES = "a task's files: the task's viewers in its project";

@ApiTags('files')
@ApiBearerAuth()
@Controller('api/v1')
export class TaskFilesController {
  constructor(
    private readonly files: FileService,
    private readonly uploads: UploadService,
  ) {}

  @RpcTwin('FileService/ListTaskFiles')
  @NotOrgScoped(TASK_RULES)
  @Get('tasks/:id/files')
  @ApiOperation({ summary: "A task's files, newest first" })
  @ApiZodQuery(listTaskFilesQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidQuery(listTaskFilesQuery) query: ListTaskFilesQuery,
  ) {
    return this.files.listTaskFiles(caller.memberId, id, query);
  }

  @OneTransportOnly(BYTES)
  @NotOrgScoped(TASK_RULES)
  @Post('tasks/:id/files')
  @ApiOperation({
    summary: 'Attach a file to a task in one request (multipart/form-data, `file` last)',
  })
  @ApiMultipartBody(singleUploadFields)
  upload(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @Req() request: FastifyRequest,
  ) {
    return this.uploads.uploadFile(caller.memberId, id, request);
  }

  @OneTransportOnly(BYTES)
  @NotOrgScoped(TASK_RULES)
  @Post('tasks/:id/files/chunks')
  @ApiOperation({
    summary:
      'One chunk of a resumable upload (simple-uploader.js fields, then `file`); 201 with the file when it completes the upload',
  })
  @ApiMultipartBody(chunkFields)
  async uploadChunk(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const answer = await this.uploads.uploadChunk(caller.memberId, id, request);
    void reply.status(answer.complete ? 201 : 200);
    return answer;
  }

  @OneTransportOnly(BYTES)
  @NotOrgScoped(TASK_RULES)
  @Get('tasks/:id/files/chunks')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Whether a chunk is already there: 200 when it is, 204 when it must be sent',
  })
  @ApiZodQuery(chunkFields)
  async hasChunk(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    // Validated after the access check: a stranger learns nothing, not even what is expected.
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const present = await this.uploads.hasChunk(caller.memberId, id, query);
    if (!present) {
      void reply.status(204);
      return undefined;
    }
    return { present };
  }
}
