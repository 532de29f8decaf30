import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { FieldProblem } from '@/common/problem';
import { encodeId } from '@/common/public-id';
import {
  cellProblem,
  readSheet,
  refuseRows,
  sheetDate,
  sheetTemplate,
  type SheetLayout,
  type SheetRow,
} from '@/common/spreadsheet';
import { ConfigCenter } from '@/config/config-center';
import { readSmallUpload } from '@/modules/file/multipart-form';
import { UserDirectory } from '@/modules/user/user-directory';
import { TracedService } from '@/telemetry/traced-service';
import type { TaskImportResult } from './dto/project.views';
import { ProjectAccess } from './project-access';
import { ProjectNotifications } from './project-notifications';
import { ProjectRepository } from './project.repository';
import { BoardAccess } from './board-access';
import { StageRepository } from './stage.repository';
import { TaskRepository, type ImportedTask } from './task.repository';

const TWO_DAYS_MS = 2 * 24 * 60 * 60 * 1000;

type TaskColumn =
  | 'name'
  | 'parent'
  | 'stage'
  | 'assignee'
  | 'beginAt'
  | 'endAt'
  | 'description'
  | 'priority'
  | 'tags';

/** The task import's sheet: the original's columns, in its order. */
export const TASK_SHEET: SheetLayout<TaskColumn> = {
  sheetName: '任务',
  notes: [
    '1. 标题和任务列表必填；任务列表填写项目中任务列表的名称。',
    '2. 上级任务：子任务填写上级任务的标题（本表中前面的任务，或项目中已有的任务）。',
    '3. 执行者：项目成员的姓名或账号。',
    '4. 开始时间、截止时间：格式为 YYYY-MM-DD HH:mm，如 2024-04-10 12:00。',
    '5. 优先级：普通、紧急或非常紧急，不填为普通。标签不导入。',
    '6. 有任何一行出错时不导入任何任务，并指出出错的行和列。',
  ].join('\n'),
  columns: [
    { key: 'name', header: '标题', required: true, width: 30 },
    { key: 'parent', header: '上级任务', width: 24 },
    { key: 'stage', header: '任务列表', required: true, width: 16 },
    { key: 'assignee', header: '执行者', width: 14 },
    { key: 'beginAt', header: '开始时间', width: 18 },
    { key: 'endAt', header: '截止时间', width: 18 },
    { key: 'description', header: '备注', width: 40 },
    { key: 'priority', header: '优先级', width: 12 },
    { key: 'tags', header: '标签', width: 16 },
  ],
};

export const TASK_TEMPLATE_FILE_NAME = '批量导入任务模板.xlsx';

/** Priorities by the names the sheet spells them in; empty is normal. */
const PRIORITIES = new Map([
  ['', 0],
  ['普通', 0],
  ['normal', 0],
  ['紧急', 1],
  ['urgent', 1],
  ['非常紧急', 2],
  ['very urgent', 2],
]);

const MAX_NAME = 200;
const MAX_DESCRIPTION = 20_000;

/** The zone dates in a sheet are read in when the caller names none. */
export const DEFAULT_IMPORT_ZONE = 'UTC';

/** Whether `zone` is a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Tasks imported from an .xlsx sheet (the original's template: title, parent task, task list,
 * assignee, begin and end, description, priority, tags) into a project the caller may write
 * to. All or nothing: every row is checked first and any wrong cell refuses the whole file,
 * naming each wrong row and column (400); then the tasks are created in one transaction, in
 * the sheet's order, as `createTask` and `createChildTask` create them.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class TaskImportService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly stages: StageRepository,
    private readonly projects: ProjectRepository,
    private readonly access: ProjectAccess,
    private readonly board: BoardAccess,
    private readonly directory: UserDirectory,
    private readonly notify: ProjectNotifications,
    private readonly center: ConfigCenter,
  ) {}

  /** The blank sheet to fill in. */
  template(): Promise<Buffer> {
    return sheetTemplate(TASK_SHEET);
  }

  /**
   * The sheet of a multipart/form-data request (its `file` part, after the fields: an
   * optional `timeZone`, and the project's id when `project` reads it from them), imported into
   * the project.
   */
  async importFromForm(
    memberId: number,
    request: FastifyRequest,
    project: number | ((fields: Record<string, string>) => number),
    timeZone: string = DEFAULT_IMPORT_ZONE,
  ): Promise<TaskImportResult> {
    // A project named apart from the form is checked before the form is read.
    if (typeof project === 'number') {
      ProjectAccess.writable(await this.access.require(memberId, project));
    }
    const projectOf = typeof project === 'number' ? () => project : project;
    const { fields, bytes } = await readSmallUpload(
      request,
      ['file'],
      this.center.config.imports.maxBytes,
    );
    return this.importTasks(memberId, projectOf(fields), bytes, fields.timeZone || timeZone);
  }

  /** The sheet's rows as tasks of the project; dates read as wall clocks in `timeZone`. */
  async importTasks(
    memberId: number,
    projectId: number,
    file: Buffer,
    timeZone: string = DEFAULT_IMPORT_ZONE,
  ): Promise<TaskImportResult> {
    const { project } = ProjectAccess.writable(await this.access.require(memberId, projectId));
    if (!isTimeZone(timeZone)) {
      refuseRows([{ field: 'timeZone', message: 'not a known time zone' }]);
    }
    const { imports } = this.center.config;
    if (file.length > imports.maxBytes) {
      refuseRows([{ field: 'file', message: `must be at most ${imports.maxBytes} bytes` }]);
    }
    const rows = await readSheet(file, TASK_SHEET, { field: 'file', maxRows: imports.maxRows });
    const items = await this.checkRows(project.id, rows, memberId, timeZone);
    const privateTasks = Boolean(project.openTaskPrivate);
    const created = await this.tasks.importTasks(
      project.id,
      items.map((item) => ({ ...item, private: privateTasks })),
      (manager, task, assigneeId) => this.notify.taskAssigned(manager, task, assigneeId, memberId),
    );
    await this.board.written(memberId);
    return {
      imported: created.length,
      taskIds: created.map((task) => encodeId(task.id, 'task')),
    };
  }

  /** Every row as a task to create, or every wrong cell at once. */
  private async checkRows(
    projectId: number,
    rows: SheetRow<TaskColumn>[],
    memberId: number,
    zone: string,
  ): Promise<ImportedTask[]> {
    const problems: FieldProblem[] = [];
    const wrong = (row: number, key: TaskColumn, message: string) =>
      problems.push(cellProblem(TASK_SHEET, row, key, message));
    const stageIds = new Map<string, number>();
    for (const stage of await this.stages.liveStagesOf(projectId)) {
      if (!stageIds.has(stage.name)) stageIds.set(stage.name, stage.id);
    }
    const assignees = await this.assigneesOf(projectId);
    const earlier = new Map<string, number>();
    const parentNames = rows.map((row) => row.cells.parent).filter(Boolean);
    const existing = await this.tasks.newestNamed(projectId, [...new Set(parentNames)]);
    const items: ImportedTask[] = [];
    for (const { row, cells } of rows) {
      const field = `row ${row}`;
      if (!cells.name) wrong(row, 'name', 'required');
      else if ([...cells.name].length > MAX_NAME)
        wrong(row, 'name', `at most ${MAX_NAME} characters`);
      if ([...cells.description].length > MAX_DESCRIPTION) {
        wrong(row, 'description', `at most ${MAX_DESCRIPTION} characters`);
      }
      let parent: ImportedTask['parent'];
      if (cells.parent) {
        const index = earlier.get(cells.parent);
        const taskId = existing.get(cells.parent)?.id;
        if (index !== undefined) parent = { index };
        else if (taskId !== undefined) parent = { taskId };
        else wrong(row, 'parent', `no task named "${cells.parent}" above it or in the project`);
      }
      const stageId = stageIds.get(cells.stage);
      if (!cells.stage && !parent) wrong(row, 'stage', 'required');
      else if (cells.stage && stageId === undefined) {
        wrong(row, 'stage', `no task list named "${cells.stage}" in the project`);
      }
      let assigneeId: number | null = null;
      if (cells.assignee) {
        const found = assignees.get(cells.assignee.toLowerCase());
        if (found === undefined) {
          wrong(row, 'assignee', `no project member named "${cells.assignee}"`);
        } else if (found === AMBIGUOUS) {
          wrong(
            row,
            'assignee',
            `several project members are named "${cells.assignee}": use the account`,
          );
        } else assigneeId = found;
      }
      const beginAt = cells.beginAt ? sheetDate(cells.beginAt, zone) : new Date();
      const given = { beginAt, endAt: cells.endAt ? sheetDate(cells.endAt, zone) : undefined };
      if (!beginAt) wrong(row, 'beginAt', 'must be a date such as 2024-04-10 12:00');
      if (given.endAt === null) wrong(row, 'endAt', 'must be a date such as 2024-04-10 12:00');
      const endAt = given.endAt ?? new Date((beginAt ?? new Date()).getTime() + TWO_DAYS_MS);
      if (beginAt && given.endAt && given.endAt < beginAt) {
        wrong(row, 'endAt', 'must not be before the begin time');
      }
      const priority = PRIORITIES.get(cells.priority.toLowerCase());
      if (priority === undefined) wrong(row, 'priority', 'must be 普通, 紧急 or 非常紧急');
      if (cells.name) earlier.set(cells.name, items.length);
      items.push({
        name: cells.name,
        description: cells.description || null,
        priority: priority ?? 0,
        createdBy: memberId,
        assigneeId,
        private: false,
        beginAt: beginAt ?? new Date(),
        endAt,
        stageId: parent ? undefined : stageId,
        parent,
        field,
      });
    }
    refuseRows(problems);
    return items;
  }

  /** The project's members by lower-cased name and account; a name two share is ambiguous. */
  private async assigneesOf(projectId: number): Promise<Map<string, number | typeof AMBIGUOUS>> {
    const summaries = await this.directory.summaries(await this.projects.memberIdsOf(projectId));
    const byName = new Map<string, number | typeof AMBIGUOUS>();
    for (const [id, summary] of summaries) {
      const name = summary.name.toLowerCase();
      byName.set(name, byName.has(name) && byName.get(name) !== id ? AMBIGUOUS : id);
    }
    // An account name is unique: it wins over a name.
    for (const [id, summary] of summaries) byName.set(summary.account.toLowerCase(), id);
    return byName;
  }
}

const AMBIGUOUS = Symbol('ambiguous');
