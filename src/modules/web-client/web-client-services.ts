import { Injectable } from '@nestjs/common';
import { BoardAccess } from '@/modules/project/board-access';
import { ActivityService } from '@/modules/project/activity.service';
import { ProjectService } from '@/modules/project/project.service';
import { StageService } from '@/modules/project/stage.service';
import { TaskService } from '@/modules/project/task.service';
import { WorkTimeService } from '@/modules/project/work-time.service';
import { UserService } from '@/modules/user/user.service';

/** The domain services the client's routes call: the ones REST and gRPC call. */
@Injectable()
export class WebClientServices {
  constructor(
    readonly users: UserService,
    readonly projects: ProjectService,
    readonly stages: StageService,
    readonly tasks: TaskService,
    readonly activity: ActivityService,
    readonly workTimes: WorkTimeService,
    readonly board: BoardAccess,
  ) {}
}
