import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@/common/api-docs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { OneTransportOnly, RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { renameFileRequest, type RenameFileRequest } from '@/modules/file/dto/file.schemas';
import { RangeNotSatisfiable } from '@/modules/file/byte-ranges';
import { contentDisposition } from '@/modules/file/file-names';
import { DOWNLOAD_LINK } from '@/modules/file/dto/file.views';
import { FileService } from '@/modules/file/file.service';
import { AcceptsSignedLink } from '@/modules/user/auth/signed-links';

const FILE_RULES = "a task's file: the task's viewers in its project";

@ApiTags('files')
@ApiBearerAuth()
@Controller('api/v1')
export class FilesController {
  constructor(private readonly files: FileService) {}

  @RpcTwin('FileService/GetFile')
  @NotOrgScoped(FILE_RULES)
  @Get('files/:id')
  @ApiOperation({ summary: 'A file, with its uploader' })
  get(@CurrentCaller() caller: Caller, @IdParam('id', 'file') id: number) {
    return this.files.getFile(caller.memberId, id);
  }

  @RpcTwin('FileService/RenameFile')
  @NotOrgScoped(FILE_RULES)
  @Patch('files/:id')
  @ApiOperation({
    summary: 'Rename a file; it keeps its extension. Its uploader or the project owner only',
  })
  @ApiZodBody(renameFileRequest)
  rename(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'file') id: number,
    @ValidBody(renameFileRequest) body: RenameFileRequest,
  ) {
    return this.files.renameFile(caller.memberId, id, body.title);
  }

  @RpcTwin('FileService/DeleteFile')
  @NotOrgScoped(FILE_RULES)
  @Delete('files/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Move a file to the recycle bin. Its uploader or the project owner only',
  })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'file') id: number) {
    await this.files.deleteFile(caller.memberId, id);
  }

  @RpcTwin('FileService/RestoreFile')
  @NotOrgScoped(FILE_RULES)
  @Post('files/:id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a file out of the recycle bin. Project owner only' })
  restore(@CurrentCaller() caller: Caller, @IdParam('id', 'file') id: number) {
    return this.files.restoreFile(caller.memberId, id);
  }

  @RpcTwin('FileService/CreateDownloadLink')
  @NotOrgScoped(FILE_RULES)
  @Post('files/:id/download-link')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "A short-lived link to the file's bytes that a browser can follow without the bearer header (attachments.downloadLinkTtlSeconds)",
  })
  downloadLink(@CurrentCaller() caller: Caller, @IdParam('id', 'file') id: number) {
    return this.files.downloadLink(caller.memberId, id);
  }

  @RpcTwin('FileService/PurgeFile')
  @NotOrgScoped(FILE_RULES)
  @Delete('recycled-files/:id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete a file in the recycle bin for good, its stored bytes with it. Project owner only',
  })
  async purge(@CurrentCaller() caller: Caller, @IdParam('id', 'file') id: number) {
    await this.files.purgeFile(caller.memberId, id);
  }

  @OneTransportOnly('file bytes travel over REST')
  @NotOrgScoped(FILE_RULES)
  @AcceptsSignedLink(DOWNLOAD_LINK)
  @Get('files/:id/content')
  @ApiOperation({
    summary:
      "A file's bytes, streamed as an attachment; one Range (206, or 416 past the end). With the bearer header, or as a signed link (see download-link)",
  })
  @ApiProduces('application/octet-stream')
  async download(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'file') id: number,
    @Headers('range') range: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const {
      file,
      body,
      range: served,
    } = await this.files
      .download(caller.memberId, id, range, request.method !== 'HEAD')
      .catch((error: unknown) => {
        if (error instanceof RangeNotSatisfiable) {
          void reply.header('content-range', `bytes */${error.size}`);
        }
        throw error;
      });
    void reply
      .header('content-type', file.contentType)
      .header('content-disposition', contentDisposition(file.title))
      .header('x-content-type-options', 'nosniff')
      // Opened in a browser tab all the same (an HTML or SVG file), it runs no script.
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .header('accept-ranges', 'bytes');
    if (served) {
      void reply
        .status(206)
        .header('content-range', `bytes ${served.start}-${served.end}/${file.size}`)
        .header('content-length', served.end - served.start + 1);
    } else {
      void reply.header('content-length', file.size);
    }
    return new StreamableFile(body);
  }
}
