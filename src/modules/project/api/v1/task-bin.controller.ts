import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { MAX_BATCH_TASKS, pageQuery, type Paging } from '@/modules/project/dto/project.schemas';
import { TaskBinService } from '@/modules/project/task-bin.service';
import { ApiZodQuery, ValidQuery } from './query';

const TASK_DATA = "a task's data, under its project's membership";

@ApiTags('task boards')
@ApiBearerAuth()
@Controller('api/v1')
export class TaskBinController {
  constructor(private readonly bin: TaskBinService) {}

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/ListRecycledTasks')
  @Get('projects/:id/recycled-tasks')
  @ApiOperation({ summary: "A project's recycle bin of tasks, newest recycled first" })
  @ApiZodQuery(pageQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.bin.listRecycled(caller.memberId, id, paging);
  }

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/RecycleTask')
  @Post('tasks/:id/recycle')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a task to the recycle bin: off the board and every list, its data kept',
  })
  recycle(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.bin.recycle(caller.memberId, id);
  }

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/RecycleStageTasks')
  @Post('stages/:id/recycle-tasks')
  @HttpCode(200)
  @ApiOperation({
    summary: `Move every task of a stage that the caller sees to the recycle bin: all of them or none, and none past ${MAX_BATCH_TASKS}`,
  })
  recycleStage(@CurrentCaller() caller: Caller, @IdParam('id', 'stage') id: number) {
    return this.bin.recycleStage(caller.memberId, id);
  }

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/RestoreTask')
  @Post('tasks/:id/restore')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Take a task out of the recycle bin, back to its place or the end of its stage (its creator or the project's owner)",
  })
  restore(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.bin.restore(caller.memberId, id);
  }

  @NotOrgScoped(TASK_DATA)
  @RpcTwin('TaskService/DeleteTask')
  @Delete('tasks/:id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Delete a recycled task for good, with its members, work time, activity and attachments (its creator or the project's owner)",
  })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    await this.bin.deleteForGood(caller.memberId, id);
  }
}
