import { Controller, Delete, Get, Headers, Put, Req, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { OneTransportOnly, RpcTwin } from '@/common/transport-parity';
import { AvatarService } from '@/modules/file/avatar.service';
import { AVATAR_LINK } from '@/modules/file/dto/avatar.views';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { AcceptsSignedLink } from '@/modules/user/auth/signed-links';
import { ApiMultipartBody } from './upload-docs';

const OWN = "the member's own avatar";
const SEEN =
  "a member's avatar: theirs, and the members who share an organization with them, or a link's holder";

/** How long a browser may use its copy before asking again (with its tag: 304 when unchanged). */
const FRESH_SECONDS = 300;

@ApiTags('avatars')
@ApiBearerAuth()
@Controller('api/v1')
export class AvatarsController {
  constructor(private readonly avatars: AvatarService) {}

  @NotOrgScoped(OWN)
  @RpcTwin('FileService/GetAvatar')
  @Get('me/avatar')
  @ApiOperation({
    summary: 'What my avatar is now, with a link a browser opens without the bearer header',
  })
  describe(@CurrentCaller() caller: Caller) {
    return this.avatars.describe(caller.memberId);
  }

  @NotOrgScoped(OWN)
  @RpcTwin('FileService/SetAvatar')
  @Put('me/avatar')
  @ApiOperation({
    summary:
      'Upload my avatar (multipart/form-data, part `file`): PNG, JPEG, GIF or WebP by its leading bytes, at most avatars.maxBytes',
  })
  @ApiMultipartBody(z.strictObject({}))
  upload(@CurrentCaller() caller: Caller, @Req() request: FastifyRequest) {
    return this.avatars.setAvatarFromForm(caller.memberId, request, 'file');
  }

  @NotOrgScoped(OWN)
  @RpcTwin('FileService/RemoveAvatar')
  @Delete('me/avatar')
  @ApiOperation({ summary: 'Back to the initials: my uploaded avatar is deleted' })
  remove(@CurrentCaller() caller: Caller) {
    return this.avatars.removeAvatar(caller.memberId);
  }

  @OneTransportOnly('image bytes travel over REST')
  @NotOrgScoped(SEEN)
  @AcceptsSignedLink(AVATAR_LINK)
  @Get('members/:id/avatar')
  @ApiOperation({
    summary:
      "A member's avatar image (the uploaded one, else their initials as SVG). With the bearer header (theirs, or of a member sharing an organization with them), or as the link their views carry",
  })
  @ApiProduces('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml')
  async image(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'member') id: number,
    @Headers('if-none-match') cachedTag: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const image = await this.avatars.read(caller.memberId, id, cachedTag);
    void reply
      .header('etag', image.etag)
      .header('cache-control', `private, max-age=${FRESH_SECONDS}`)
      .header('x-content-type-options', 'nosniff')
      // The initials are an SVG: opened in a tab, it runs nothing and loads nothing.
      .header('content-security-policy', "default-src 'none'; sandbox");
    if (cachedTag === image.etag) {
      void reply.status(304);
      return undefined;
    }
    void reply.header('content-type', image.contentType).header('content-length', image.size);
    // StreamableFile takes bytes or a stream, not their union.
    return Buffer.isBuffer(image.body)
      ? new StreamableFile(image.body)
      : new StreamableFile(image.body);
  }
}
