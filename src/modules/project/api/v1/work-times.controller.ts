import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  addWorkTimeRequest,
  pageQuery,
  updateWorkTimeRequest,
  type AddWorkTimeRequest,
  type Paging,
  type UpdateWorkTimeRequest,
} from '@/modules/project/dto/project.schemas';
import { WorkTimeService } from '@/modules/project/work-time.service';
import { ApiZodQuery, ValidQuery } from './query';

const TASK_DATA = "a task's data, under its project's membership";

@ApiTags('work time')
@ApiBearerAuth()
@Controller('api/v1')
export class WorkTimesController {
  constructor(private readonly workTimes: WorkTimeService) {}

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/AddWorkTime')
  @Post('tasks/:id/work-times')
  @ApiOperation({
    summary: 'Log time spent on a task: hours more than 0, at most 24, two decimals',
  })
  @ApiZodBody(addWorkTimeRequest)
  add(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(addWorkTimeRequest) body: AddWorkTimeRequest,
  ) {
    return this.workTimes.addWorkTime(caller.memberId, id, body);
  }

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/ListWorkTimes')
  @Get('tasks/:id/work-times')
  @ApiOperation({ summary: "A task's work time, newest start first, with its total hours" })
  @ApiZodQuery(pageQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.workTimes.listWorkTimes(caller.memberId, id, paging);
  }

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/UpdateWorkTime')
  @Patch('work-times/:id')
  @ApiOperation({ summary: "Change a work time entry (its author or the project's owner)" })
  @ApiZodBody(updateWorkTimeRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'workTime') id: number,
    @ValidBody(updateWorkTimeRequest) body: UpdateWorkTimeRequest,
  ) {
    return this.workTimes.updateWorkTime(caller.memberId, id, body);
  }

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/DeleteWorkTime')
  @Delete('work-times/:id')
  @HttpCode(204)
  @ApiOperation({ summary: "Delete a work time entry (its author or the project's owner)" })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'workTime') id: number) {
    await this.workTimes.deleteWorkTime(caller.memberId, id);
  }
}
