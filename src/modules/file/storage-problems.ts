import { Problem } from '@/common/problem';
import { ObjectNotFound, StorageUnavailable } from '@/infra/storage/storage.port';

/**
 * Storage failures as the client sees them: an unreachable or misconfigured backend is a
 * 503 (retry later), an object missing under a file row a 404. Anything else propagates.
 */
export async function fromStorage<T>(
  work: Promise<T>,
  onFailure?: (error: Error) => void,
): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StorageUnavailable) {
      onFailure?.(error);
      throw Problem.unavailable(5);
    }
    if (error instanceof ObjectNotFound) {
      onFailure?.(error);
      throw Problem.notFound('the file content is missing');
    }
    throw error;
  }
}
