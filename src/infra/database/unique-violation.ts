import { QueryFailedError } from 'typeorm';
import { Problem } from '@/common/problem';

/** Whether a write failed on a unique index (MySQL/MariaDB or SQLite). */
export function isDuplicateKey(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } }).driverError?.code;
  return (
    error instanceof QueryFailedError &&
    (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}

/** `write`, with a unique index's refusal told as a 409 on `field`. */
export async function uniqueOn<T>(
  field: string,
  message: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) throw Problem.conflict(field, message);
    throw error;
  }
}
