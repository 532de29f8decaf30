import { StoredFile } from './file.entity';

export { StoredFile };

/** The file module's tables. */
export const FILE_ENTITIES = [StoredFile];
