import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const SCRIPT = join(__dirname, '../../../scripts/redis-second.sh');

/** The port of the throw-away Redis that tests may stop (scripts/redis-second.sh). */
export const SECOND_REDIS_PORT = Number(process.env.MSP_REDIS2_PORT ?? 6380);

/** Starts or stops the second Redis; resolves once it answers PING, or once it is gone. */
export async function secondRedis(action: 'start' | 'stop'): Promise<void> {
  await promisify(execFile)('bash', [SCRIPT, action], { timeout: 30_000 });
}
