/**
 * A list page's cost as the data grows: the first page of a member's projects, their tasks
 * (assigned), the activity of their projects and their notifications, for members holding
 * 100 / 10,000 / 100,000 rows in each list while the tables hold ten times the largest size
 * in other members' rows. The rows are seeded in bulk (INSERT … SELECT over MariaDB's
 * sequence tables), the built app runs as a process of its own, h2load loads it;
 * sizes alternate round by round, and "CPU vs ref" is the ratio to the smallest size.
 *
 *   npm run bench:growth
 *   BENCH_GROWTH_SIZES=100,10000 BENCH_GROWTH_LISTS=projects,notifications npm run bench:growth
 *
 * Also part of `npm run bench` with BENCH_SCENARIOS=…,growth. Needs MariaDB and Redis.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { configurePublicIds, decodeId } from '@/common/public-id';
import { TEST_IDS_SECRET } from '../test/support/app';
import { createTestDatabase, MARIADB } from '../test/support/databases';
import { registerMember } from '../test/support/members';
import { FEED_TOTALS_SQL, MEMBER_FEED_SQL } from '@/infra/database/list-totals';
import { NOTIFICATION_LIST_SQL } from '@/modules/notification/notification.repository';
import { MEMBER_FEED_PAGE_SQL } from '@/modules/project/activity.repository';
import { PROJECT_LIST_SQL } from '@/modules/project/project.repository';
import { myTasksSql } from '@/modules/project/task.repository';
import { fillTaskTotalsSql } from '@/modules/project/task-totals';
import { startApp } from './lib/app-process';
import { httpSample, type LoadOptions } from './lib/load';
import { alternate, printTable, type Row } from './lib/rounds';

const SIZES = (process.env.BENCH_GROWTH_SIZES ?? '100,10000,100000').split(',').map(Number);
const LISTS = new Set(
  (process.env.BENCH_GROWTH_LISTS ?? 'projects,tasks,activity,notifications').split(','),
);
/** Other members' rows per table, as a multiple of the largest size. */
const OTHERS_FACTOR = 10;
/** The other members' rows belong to this many members (ids far above the real ones). */
const OTHER_MEMBERS = 1_000;
const OTHER_BASE = 10_000_000;

const LIST_PATHS: Record<string, { name: string; path: string }> = {
  projects: { name: 'my projects (GET /api/v1/projects)', path: '/api/v1/projects' },
  tasks: { name: 'my tasks (GET /api/v1/tasks)', path: '/api/v1/tasks' },
  activity: { name: 'activity feed (GET /api/v1/activity)', path: '/api/v1/activity' },
  notifications: {
    name: 'notifications (GET /api/v1/me/notifications)',
    path: '/api/v1/me/notifications',
  },
};

/** `count` rows of `select` (over `seq`, 1…count), inserted in one statement. */
const fromSequence = (count: number) => `FROM seq_1_to_${count}`;

/**
 * The rows of `owner` in every list: `count` projects (all active, the newest also the home
 * of their tasks and activity), `count` tasks assigned to them, `count` activity entries and
 * `count` notifications, half unread. `owner` may stand for many members (`spread`).
 */
async function seedRows(db: Connection, owner: string, count: number) {
  await db.query(
    `INSERT INTO project (name, ownerId, organizationId, taskBoardTheme)
     SELECT CONCAT('Project ', seq), ${owner}, NULL, 'simple' ${fromSequence(count)}`,
  );
  // The home project: one more, newest of the owner's.
  await db.query(
    `INSERT INTO project (name, ownerId, organizationId, taskBoardTheme, lastTaskNumber)
     VALUES ('Home', ${owner.replace(/seq/g, '0')}, NULL, 'simple', ${count})`,
  );
  const [[{ home }]] = (await db.query('SELECT LAST_INSERT_ID() AS home')) as unknown as [
    { home: number }[],
  ];
  await db.query(`INSERT INTO task_stage (projectId, name, sort) VALUES (?, 'To do', 0)`, [home]);
  const [[{ stage }]] = (await db.query('SELECT LAST_INSERT_ID() AS stage')) as unknown as [
    { stage: number }[],
  ];
  await db.query(
    `INSERT INTO task (projectId, stageId, number, name, sort, createdBy, assigneeId)
     SELECT ?, ?, seq, CONCAT('Task ', seq), seq, ${owner}, ${owner} ${fromSequence(count)}`,
    [home, stage],
  );
  await db.query(
    `INSERT INTO project_activity (projectId, taskId, memberId, type, content)
     SELECT ?, NULL, ${owner}, 'update', 'changed the project' ${fromSequence(count)}`,
    [home],
  );
  await db.query(
    `INSERT INTO notification (memberId, kind, content, readAt)
     SELECT ${owner}, 'mentioned', 'mentioned you', IF(seq % 2, NOW(), NULL) ${fromSequence(count)}`,
  );
  return home;
}

/**
 * Memberships, the fanned-out activity feed and the counters for every seeded project, as the
 * app's writes would leave them.
 */
async function seedMembershipsAndTotals(db: Connection) {
  await db.query(
    `INSERT INTO project_member (projectId, memberId, role, projectState)
     SELECT project.id, project.ownerId, 'owner', 'active' FROM project
     LEFT JOIN project_member existing ON existing.projectId = project.id
     WHERE existing.id IS NULL`,
  );
  await db.query(
    `INSERT INTO list_total (memberId, list, total)
     SELECT memberId, CONCAT('projects:', projectState), COUNT(*) FROM project_member
     GROUP BY memberId, projectState
     ON DUPLICATE KEY UPDATE total = VALUES(total)`,
  );
  await db.query(
    `INSERT INTO list_total (memberId, list, total)
     SELECT memberId, 'notifications', COUNT(*) FROM notification GROUP BY memberId
     ON DUPLICATE KEY UPDATE total = VALUES(total)`,
  );
  await db.query(
    `INSERT INTO list_total (memberId, list, total)
     SELECT memberId, 'notifications:unread', COUNT(*) FROM notification WHERE readAt IS NULL
     GROUP BY memberId ON DUPLICATE KEY UPDATE total = VALUES(total)`,
  );
  // The activity feed fanned out (one row per entry and viewer), and its counters from it.
  await db.query(MEMBER_FEED_SQL);
  await db.query(`${FEED_TOTALS_SQL} ON DUPLICATE KEY UPDATE total = VALUES(total)`);
  for (const { sql, parameters } of fillTaskTotalsSql()) await db.query(sql, parameters);
  const tables = ['project', 'project_member', 'task', 'project_activity', 'member_feed'];
  for (const table of [...tables, 'notification']) await db.query(`ANALYZE TABLE ${table}`);
}

/**
 * How MariaDB runs the first pages of the largest member's lists, and how long each statement
 * takes run once on its own (printed with the table).
 */
async function explainPlans(db: Connection, memberId: number): Promise<void> {
  const tasks = myTasksSql(memberId, 'assigned', undefined, 'STRAIGHT_JOIN');
  const undoneTasks = myTasksSql(memberId, 'assigned', false, 'STRAIGHT_JOIN');
  const doneTasks = myTasksSql(memberId, 'assigned', true, 'STRAIGHT_JOIN');
  const participating = myTasksSql(memberId, 'participating', undefined, 'STRAIGHT_JOIN');
  const plans: [string, string, unknown[]][] = [
    ['my projects', PROJECT_LIST_SQL.mine, [memberId, 'active', 20, 0]],
    ['my tasks', tasks.page, [...tasks.parameters, 20, 0]],
    ['my undone tasks', undoneTasks.page, [...undoneTasks.parameters, 20, 0]],
    ['my done tasks', doneTasks.page, [...doneTasks.parameters, 20, 0]],
    ['my tasks, participating', participating.page, [...participating.parameters, 20, 0]],
    ['activity', MEMBER_FEED_PAGE_SQL, [memberId, 20, 0]],
    [
      'activity, total',
      "SELECT total FROM list_total WHERE memberId = ? AND list = 'activity'",
      [memberId],
    ],
    ['my collected projects', PROJECT_LIST_SQL.collected, [memberId, 20, 0]],
    ['notifications', NOTIFICATION_LIST_SQL.all, [memberId, 20, 0]],
    ['unread notifications', NOTIFICATION_LIST_SQL.unread, [memberId, 20, 0]],
  ];
  for (const [name, sql, parameters] of plans) {
    const [rows] = (await db.query(`EXPLAIN ${sql}`, parameters)) as unknown as [
      { table: string; type: string; key: string | null; rows: number; Extra: string | null }[],
    ];
    const steps = rows.map(
      (row) =>
        `${row.table}: ${row.type} on ${row.key ?? '-'}, ~${row.rows} rows, ${row.Extra ?? ''}`,
    );
    const started = process.hrtime.bigint();
    await db.query(sql, parameters);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.error(`plan of ${name} (${ms.toFixed(1)} ms alone): ${steps.join('; ')}`);
  }
}

export interface GrowthOptions {
  load: LoadOptions;
  rounds: number;
}

/** The growth rows: per list, one variant per size, CPU vs ref against the smallest. */
export async function growthRows({ load, rounds }: GrowthOptions): Promise<Row[]> {
  const database = await createTestDatabase();
  const app = await startApp('growth', database.name);
  const db = await createConnection({ ...MARIADB, database: database.name });
  try {
    configurePublicIds(TEST_IDS_SECRET);
    const others = Math.max(...SIZES) * OTHERS_FACTOR;
    const started = Date.now();
    console.error(`growth: seeding ${others} rows of other members per list`);
    await seedRows(db, `${OTHER_BASE} + seq % ${OTHER_MEMBERS}`, others);
    const members: { size: number; token: string; id: number }[] = [];
    for (const size of SIZES) {
      const member = await registerMember(app);
      const id = decodeId(member.id, 'member');
      await seedRows(db, String(id), size);
      members.push({ size, token: member.accessToken, id });
    }
    await seedMembershipsAndTotals(db);
    await explainPlans(db, members[members.length - 1].id);
    console.error(`growth: seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const rows: Row[] = [];
    for (const list of Object.keys(LIST_PATHS).filter((name) => LISTS.has(name))) {
      const { name, path } = LIST_PATHS[list];
      rows.push(
        ...(await alternate(
          name,
          members.map(({ size, token }) => ({
            name: `${size.toLocaleString('en')} rows`,
            run: () =>
              httpSample(app, { path, headers: { authorization: `Bearer ${token}` } }, load),
          })),
          rounds,
        )),
      );
    }
    return rows;
  } finally {
    await db.end();
    await app.stop();
    await database.drop();
  }
}

async function main() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const load: LoadOptions = {
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
  };
  console.error(`bench: ${rounds} rounds × ${load.seconds} s, ${load.connections} connections`);
  printTable(await growthRows({ load, rounds }));
}

if (require.main === module) {
  void main().catch((error: Error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
