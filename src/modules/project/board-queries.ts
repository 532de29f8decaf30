export { offset } from '@/common/paging';

/**
 * Whether the task under `alias` is visible to the member `:viewerId` (with `:open` bound to
 * false): an open task to every project member, a private one to its creator, its assignee
 * and its task members only. The same rule as TaskRepository.isVisible.
 */
export const visibleTask = (alias: string) =>
  `(${alias}.private = :open OR ${alias}.createdBy = :viewerId OR ${alias}.assigneeId = :viewerId OR EXISTS (SELECT 1 FROM task_member viewer WHERE viewer.taskId = ${alias}.id AND viewer.memberId = :viewerId))`;
