import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodQuery, ValidQuery } from '@/common/valid-query';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { AnnouncementService } from '@/modules/notification/announcement.service';
import {
  listAnnouncementsQuery,
  sendAnnouncementRequest,
  updateAnnouncementRequest,
  type ListAnnouncementsQuery,
  type SendAnnouncementRequest,
  type UpdateAnnouncementRequest,
} from '@/modules/notification/dto/announcement.schemas';

const DEPLOYMENT =
  "the deployment's own announcements: its administrators (platform.administrators) only, checked by the operation";

@ApiTags('announcements')
@ApiBearerAuth()
@Controller('api/v1/announcements')
export class AnnouncementsController {
  constructor(private readonly announcements: AnnouncementService) {}

  @NotOrgScoped(DEPLOYMENT)
  @RpcTwin('AnnouncementService/ListAnnouncements')
  @Get()
  @ApiOperation({
    summary:
      'The system announcements, newest first, with how many members each reached (administrators only)',
  })
  @ApiZodQuery(listAnnouncementsQuery)
  list(
    @CurrentCaller() caller: Caller,
    @ValidQuery(listAnnouncementsQuery) query: ListAnnouncementsQuery,
  ) {
    return this.announcements.list(caller.memberId, query);
  }

  @NotOrgScoped(DEPLOYMENT)
  @RpcTwin('AnnouncementService/GetAnnouncement')
  @Get(':id')
  @ApiOperation({ summary: 'One system announcement (administrators only)' })
  get(@CurrentCaller() caller: Caller, @IdParam('id', 'announcement') id: number) {
    return this.announcements.get(caller.memberId, id);
  }

  @NotOrgScoped(DEPLOYMENT)
  @RpcTwin('AnnouncementService/SendAnnouncement')
  @Post()
  @ApiOperation({
    summary:
      'Send a system announcement to every member, as a notification of kind system (administrators only)',
  })
  @ApiZodBody(sendAnnouncementRequest)
  send(
    @CurrentCaller() caller: Caller,
    @ValidBody(sendAnnouncementRequest) body: SendAnnouncementRequest,
  ) {
    return this.announcements.send(caller.memberId, body);
  }

  @NotOrgScoped(DEPLOYMENT)
  @RpcTwin('AnnouncementService/UpdateAnnouncement')
  @Patch(':id')
  @ApiOperation({
    summary:
      "Change a system announcement's title or text: every member's notification shows the change (administrators only)",
  })
  @ApiZodBody(updateAnnouncementRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'announcement') id: number,
    @ValidBody(updateAnnouncementRequest) body: UpdateAnnouncementRequest,
  ) {
    return this.announcements.update(caller.memberId, id, body);
  }

  @NotOrgScoped(DEPLOYMENT)
  @RpcTwin('AnnouncementService/DeleteAnnouncement')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Delete a system announcement: it leaves every member's notifications, their counters following (administrators only)",
  })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'announcement') id: number) {
    await this.announcements.remove(caller.memberId, id);
  }
}
