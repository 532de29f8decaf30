import { Controller, Get, Headers, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@/common/api-docs';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { OneTransportOnly, RpcTwin } from '@/common/transport-parity';
import { IMAGE_LINK } from '@/modules/file/dto/image.views';
import { ImageService } from '@/modules/file/image.service';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { AcceptsSignedLink } from '@/modules/user/auth/signed-links';
import { ApiMultipartBody } from './upload-docs';

const SEEN =
  "an organization's picture: its active accounts, or the holder of a link one of them was given";

/** How long a browser may use its copy: a picture never changes under its name. */
const FRESH_SECONDS = 86_400;

@ApiTags('images')
@ApiBearerAuth()
@Controller('api/v1')
export class ImagesController {
  constructor(private readonly images: ImageService) {}

  @OrgPermission('project/index/index')
  @RpcTwin('FileService/UploadImage')
  @Post('organizations/:organizationId/images')
  @ApiOperation({
    summary:
      'Upload a picture to the organization (a cover, an image in a description; multipart/form-data, part `file`): PNG, JPEG, GIF or WebP by its leading bytes, at most images.maxBytes; answers its long-lived link',
  })
  @ApiMultipartBody(z.strictObject({}))
  upload(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @Req() request: FastifyRequest,
  ) {
    return this.images.uploadFromForm(caller.memberId, organizationId, request, ['file']);
  }

  @OneTransportOnly('image bytes travel over REST')
  @NotOrgScoped(SEEN)
  @AcceptsSignedLink(IMAGE_LINK, 'name')
  @Get('images/:name')
  @ApiOperation({
    summary:
      "An organization's picture. With the bearer header (of an active account there), or as the link its upload answered",
  })
  @ApiProduces('image/png', 'image/jpeg', 'image/gif', 'image/webp')
  async image(
    @CurrentCaller() caller: Caller,
    @Param('name') name: string,
    @Headers('if-none-match') cachedTag: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const image = await this.images.read(caller.memberId, name);
    void reply
      .header('etag', image.etag)
      .header('cache-control', `private, max-age=${FRESH_SECONDS}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox");
    if (cachedTag === image.etag) {
      void reply.status(304);
      return undefined;
    }
    void reply
      .header('content-type', image.contentType)
      .header('content-length', image.body.length);
    return new StreamableFile(image.body);
  }
}
