import { ListTotal } from './infra/database/list-totals';
import { FILE_ENTITIES } from './modules/file/entities';
import { NOTIFICATION_ENTITIES } from './modules/notification/entities';
import { ORGANIZATION_ENTITIES } from './modules/organization/entities';
import { PROJECT_ENTITIES } from './modules/project/entities';
import { USER_ENTITIES } from './modules/user/entities';

/** Every table of the application, for tools that run outside Nest (migrations). */
export const ALL_ENTITIES = [
  ...USER_ENTITIES,
  ...PROJECT_ENTITIES,
  ...ORGANIZATION_ENTITIES,
  ...NOTIFICATION_ENTITIES,
  ...FILE_ENTITIES,
  ListTotal,
];
