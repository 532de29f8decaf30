/**
 * The floor for the project list: bare Fastify and mysql2 running the same two statements the
 * application runs for a member's first page (no auth, no validation, no cache), on the same
 * database. Serves GET /projects?member=<id> and GET /health/ready.
 *
 *   node dist-test/bench/baseline-server.js <database> <port>
 */
import Fastify from 'fastify';
import { createPool } from 'mysql2/promise';
import { MARIADB } from '../test/support/databases';

/** The first page of a member's projects, as the application queries it. */
export const PAGE_SQL =
  'SELECT p.*, m.role AS membership_role, c.id AS collection_id FROM project p ' +
  'INNER JOIN project_member m ON m.projectId = p.id AND m.memberId = ? ' +
  'LEFT JOIN project_collection c ON c.projectId = p.id AND c.memberId = ? ' +
  'WHERE p.deleted = 0 AND p.archived = 0 ORDER BY p.id DESC LIMIT 20 OFFSET 0';
export const COUNT_SQL =
  'SELECT COUNT(*) AS total FROM project_member m INNER JOIN project p ON p.id = m.projectId ' +
  'WHERE m.memberId = ? AND p.deleted = 0 AND p.archived = 0';

async function main() {
  const [database, port] = process.argv.slice(2);
  const pool = createPool({ ...MARIADB, database, connectionLimit: 20 });
  const app = Fastify();
  app.get('/health/ready', () => ({ status: 'ok' }));
  app.get<{ Querystring: { member: string } }>('/projects', async (request) => {
    const member = Number(request.query.member);
    const [[rows], [[count]]] = (await Promise.all([
      pool.query(PAGE_SQL, [member, member]),
      pool.query(COUNT_SQL, [member]),
    ])) as unknown as [[unknown[]], [[{ total: number }]]];
    return { items: rows, total: Number(count.total) };
  });
  await app.listen({ host: '127.0.0.1', port: Number(port) });
  process.on('SIGTERM', () => void app.close().then(() => pool.end()));
}

void main();
