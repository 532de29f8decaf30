import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  commentRequest,
  pageQuery,
  taskActivityQuery,
  type CommentRequest,
  type Paging,
  type TaskActivityQuery,
} from '@/modules/project/dto/project.schemas';
import { ActivityService } from '@/modules/project/activity.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('activity')
@ApiBearerAuth()
@Controller('api/v1')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/ListActivity')
  @Get('tasks/:id/activity')
  @ApiOperation({ summary: "A task's activity, or only its comments" })
  @ApiZodQuery(taskActivityQuery)
  ofTask(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidQuery(taskActivityQuery) query: TaskActivityQuery,
  ) {
    return this.activity.taskActivity(caller.memberId, id, query);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/AddComment')
  @Post('tasks/:id/comments')
  @ApiOperation({
    summary: 'Comment on a task',
    description:
      'The mentioned members (project members; not those who cannot see the private task) are notified with the comment.',
  })
  @ApiZodBody(commentRequest)
  comment(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(commentRequest) body: CommentRequest,
  ) {
    return this.activity.comment(caller.memberId, id, body.content, body.mentions);
  }

  @NotOrgScoped("the activity of the caller's own projects")
  @RpcTwin('TaskService/ListActivity')
  @Get('activity')
  @ApiOperation({ summary: 'The newest activity across my projects' })
  @ApiZodQuery(pageQuery)
  mine(@CurrentCaller() caller: Caller, @ValidQuery(pageQuery) paging: Paging) {
    return this.activity.myActivity(caller.memberId, paging);
  }

  @NotOrgScoped("a project's data, under its membership")
  @RpcTwin('ProjectService/ListProjectActivity')
  @Get('projects/:id/activity')
  @ApiOperation({
    summary: "A project's newest activity, but of tasks hidden to me and of recycled tasks",
  })
  @ApiZodQuery(pageQuery)
  ofProject(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.activity.projectActivity(caller.memberId, id, paging);
  }
}
