import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The activity feed fanned out: one row per entry a member may see (the entries of the
 * projects they belong to, a task's while the task is off the recycle bin and, if private,
 * theirs to see). A feed page is one range of the primary key, newest first; the rows are kept
 * by the writes that change what a member sees, in their transactions (feed-totals.ts).
 */
@Entity('member_feed')
// A member leaving a project, a project deleted for good: the rows of one project.
@Index('IDX_member_feed_project_member', ['projectId', 'memberId'])
export class MemberFeed {
  @PrimaryColumn({ type: 'int' })
  memberId: number;

  @PrimaryColumn({ type: 'int' })
  activityId: number;

  @Column({ type: 'int' })
  projectId: number;
}
