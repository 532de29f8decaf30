/**
 * The floor for the project list: bare Fastify and mysql2 running the same two statements the
 * application runs for a member's first page (no auth, no validation, no cache), on the same
 * database. Serves GET /projects?member=<id> and GET /health/ready.
 *
 *   node dist-test/bench/baseline-server.js <database> <port>
 */
import Fastify from 'fastify';
import { createPool } from 'mysql2/promise';
import { PROJECT_LIST_SQL } from '@/modules/project/project.repository';
import { MARIADB } from '../test/support/databases';

/** The first page of a member's projects and its total, as the application queries them. */
const PAGE_SQL = PROJECT_LIST_SQL.mine;
const TOTAL_SQL = 'SELECT total FROM list_total WHERE memberId = ? AND list = ?';

async function main() {
  const [database, port] = process.argv.slice(2);
  const pool = createPool({ ...MARIADB, database, connectionLimit: 20 });
  const app = Fastify();
  app.get('/health/ready', () => ({ status: 'ok' }));
  app.get<{ Querystring: { member: string } }>('/projects', async (request) => {
    const member = Number(request.query.member);
    const [[rows], [[count]]] = (await Promise.all([
      pool.query(PAGE_SQL, [member, 'active', 20, 0]),
      pool.query(TOTAL_SQL, [member, 'projects:active']),
    ])) as unknown as [[unknown[]], [[{ total: number }]]];
    return { items: rows, total: Number(count.total) };
  });
  await app.listen({ host: '127.0.0.1', port: Number(port) });
  process.on('SIGTERM', () => void app.close().then(() => pool.end()));
}

void main();
