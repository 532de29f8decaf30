import { StoredFile } from './file.entity';
import { MemberAvatar } from './member-avatar.entity';

export { MemberAvatar, StoredFile };

/** The file module's tables. */
export const FILE_ENTITIES = [StoredFile, MemberAvatar];
