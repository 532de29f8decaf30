import { Activity } from './activity.entity';
import { MemberFeed } from './member-feed.entity';
import { ProjectCollection } from './project-collection.entity';
import { ProjectFeature } from './project-feature.entity';
import { ProjectInfoField } from './project-info-field.entity';
import { ProjectMember } from './project-member.entity';
import { ProjectTemplate } from './project-template.entity';
import { ProjectVersion } from './project-version.entity';
import { Project } from './project.entity';
import { StageTemplate } from './stage-template.entity';
import { TaskCollection } from './task-collection.entity';
import { TaskLike } from './task-like.entity';
import { TaskMember } from './task-member.entity';
import { TaskStage } from './task-stage.entity';
import { TaskTagLink } from './task-tag-link.entity';
import { TaskTag } from './task-tag.entity';
import { TaskWorkflowAction } from './task-workflow-action.entity';
import { TaskWorkflow } from './task-workflow.entity';
import { Task } from './task.entity';
import { VersionLog } from './version-log.entity';
import { WorkTime } from './work-time.entity';

export {
  Activity,
  MemberFeed,
  Project,
  ProjectCollection,
  ProjectFeature,
  ProjectInfoField,
  ProjectMember,
  ProjectTemplate,
  ProjectVersion,
  StageTemplate,
  Task,
  TaskCollection,
  TaskLike,
  TaskMember,
  TaskStage,
  TaskTag,
  TaskTagLink,
  VersionLog,
  TaskWorkflow,
  TaskWorkflowAction,
  WorkTime,
};
export { WORKFLOW_EVENTS, type WorkflowEvent } from './task-workflow.entity';
export { WORKFLOW_ACTION_TYPES, type WorkflowActionType } from './task-workflow-action.entity';
export { ACTIVITY_TYPES, type ActivityType } from './activity.entity';
export { TAG_PALETTE } from './task-tag.entity';
export { VERSION_STATUSES, type VersionStatus } from './project-version.entity';
export { VERSION_LOG_TYPES, type VersionLogType } from './version-log.entity';
export {
  PROJECT_ROLES,
  projectState,
  type ProjectRole,
  type ProjectState,
} from './project-member.entity';

/** The project module's tables. */
export const PROJECT_ENTITIES = [
  Project,
  ProjectMember,
  ProjectCollection,
  ProjectTemplate,
  StageTemplate,
  TaskStage,
  Task,
  TaskMember,
  TaskLike,
  TaskCollection,
  Activity,
  MemberFeed,
  WorkTime,
  ProjectFeature,
  ProjectVersion,
  VersionLog,
  TaskWorkflow,
  TaskWorkflowAction,
  TaskTag,
  TaskTagLink,
  ProjectInfoField,
];
