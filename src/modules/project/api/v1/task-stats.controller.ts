import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { taskStatsQuery, type TaskStatsQuery } from '@/modules/project/dto/task-stats.schemas';
import { TaskStatsService } from '@/modules/project/task-stats.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1')
export class TaskStatsController {
  constructor(private readonly taskStats: TaskStatsService) {}

  @RpcTwin('ProjectService/GetTaskStats')
  @NotOrgScoped("a project's data, under its membership")
  @Get('projects/:id/task-stats')
  @ApiOperation({
    summary:
      "Counts of the project's tasks I can see by state (done, overdue, unassigned, due today, done late) and per day of the last `days` in `timeZone` (created, still open at the day's end)",
  })
  @ApiZodQuery(taskStatsQuery)
  get(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidQuery(taskStatsQuery) query: TaskStatsQuery,
  ) {
    return this.taskStats.stats(caller.memberId, id, query);
  }
}
