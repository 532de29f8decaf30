import { PROJECT_ENTITIES } from './modules/project/entities';
import { USER_ENTITIES } from './modules/user/entities';

/** Every table of the application, for tools that run outside Nest (migrations). */
export const ALL_ENTITIES = [...USER_ENTITIES, ...PROJECT_ENTITIES];
