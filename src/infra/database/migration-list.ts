import type { MigrationInterface } from 'typeorm';
import { Initial1795797513936 } from './migrations/1795797513936-Initial';
import { Projects1795798366502 } from './migrations/1795798366502-Projects';
import { Organizations1796550310329 } from './migrations/1796550310329-Organizations';
import { Invitations1796550829533 } from './migrations/1796550829533-Invitations';
import { TaskWorkTimeAndRecycleBin1796550890493 } from './migrations/1796550890493-TaskWorkTimeAndRecycleBin';
import { AccessCatalogue1796551031502 } from './migrations/1796551031502-AccessCatalogue';
import { Attachments1796551260581 } from './migrations/1796551260581-Attachments';
import { AccountKeys1796553260967 } from './migrations/1796553260967-AccountKeys';
import { ProjectSettings1796560214346 } from './migrations/1796560214346-ProjectSettings';
import { ListTotals1796560264533 } from './migrations/1796560264533-ListTotals';
import { ChildTasksStatusAndEstimates1796560350406 } from './migrations/1796560350406-ChildTasksStatusAndEstimates';
import { ActivityFeedTotals1796569210652 } from './migrations/1796569210652-ActivityFeedTotals';
import { MemberAvatars1796569794914 } from './migrations/1796569794914-MemberAvatars';
import { AccountContactCards1796570440288 } from './migrations/1796570440288-AccountContactCards';
import { InviteLinks1796570719904 } from './migrations/1796570719904-InviteLinks';
import { RoleStatus1796570777590 } from './migrations/1796570777590-RoleStatus';
import { TaskListTotals1796572604975 } from './migrations/1796572604975-TaskListTotals';
import { OrganizationTemplates1796572626773 } from './migrations/1796572626773-OrganizationTemplates';
import { MemberFeed1796573393359 } from './migrations/1796573393359-MemberFeed';
import { TaskLikesAndStars1796573487235 } from './migrations/1796573487235-TaskLikesAndStars';
import { ProjectVersions1796579424191 } from './migrations/1796579424191-ProjectVersions';
import { TaskWorkflows1796579779544 } from './migrations/1796579779544-TaskWorkflows';
import { OrganizationAddress1796579845276 } from './migrations/1796579845276-OrganizationAddress';
import { ProjectInviteLinks1796580294397 } from './migrations/1796580294397-ProjectInviteLinks';
import { SystemSettings1796582417715 } from './migrations/1796582417715-SystemSettings';
import { TaskTags1796590000000 } from './migrations/1796590000000-TaskTags';
import { ProjectInfo1796591000000 } from './migrations/1796591000000-ProjectInfo';
import { SystemAnnouncements1796591100000 } from './migrations/1796591100000-SystemAnnouncements';
import { AnnouncementDeletion1796591200000 } from './migrations/1796591200000-AnnouncementDeletion';
import { ScheduleTabMenu1796592000000 } from './migrations/1796592000000-ScheduleTabMenu';

/**
 * The committed migrations (MySQL), oldest first. TypeORM is given the classes rather than a
 * file pattern, so that they load the same from the compiled tree and from the start-up bundle
 * (`scripts/bundle.mjs`). `npm run migration:generate` writes a new one into `migrations/`;
 * add it here (`test/unit/migration-list.test.ts` fails until it is).
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795797513936,
  Projects1795798366502,
  Organizations1796550310329,
  Invitations1796550829533,
  TaskWorkTimeAndRecycleBin1796550890493,
  AccessCatalogue1796551031502,
  Attachments1796551260581,
  AccountKeys1796553260967,
  ProjectSettings1796560214346,
  ListTotals1796560264533,
  ChildTasksStatusAndEstimates1796560350406,
  ActivityFeedTotals1796569210652,
  MemberAvatars1796569794914,
  AccountContactCards1796570440288,
  InviteLinks1796570719904,
  RoleStatus1796570777590,
  TaskListTotals1796572604975,
  OrganizationTemplates1796572626773,
  MemberFeed1796573393359,
  TaskLikesAndStars1796573487235,
  ProjectVersions1796579424191,
  TaskWorkflows1796579779544,
  OrganizationAddress1796579845276,
  ProjectInviteLinks1796580294397,
  SystemSettings1796582417715,
  TaskTags1796590000000,
  ProjectInfo1796591000000,
  SystemAnnouncements1796591100000,
  AnnouncementDeletion1796591200000,
  ScheduleTabMenu1796592000000,
];
