import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FieldProblem } from '@/common/problem';
import { text } from '@/common/schema-types';
import {
  cellProblem,
  readSheet,
  refuseRows,
  sheetTemplate,
  type SheetLayout,
  type SheetRow,
} from '@/common/spreadsheet';
import { ConfigCenter } from '@/config/config-center';
import { uniqueOn } from '@/infra/database/unique-violation';
import type { EntityManager } from 'typeorm';
import { readSmallUpload } from '@/modules/file/multipart-form';
import { accountKey, accountName } from '@/modules/user/account-name';
import { emailAddress, mobileNumber, newPassword } from '@/modules/user/dto/user.schemas';
import { MemberEnrolment } from '@/modules/user/member-enrolment';
import { TAKEN_MESSAGES } from '@/modules/user/member.repository';
import { UserDirectory } from '@/modules/user/user-directory';
import { TracedService } from '@/telemetry/traced-service';
import { AccountRepository, type AccountChanges } from './account.repository';
import { DepartmentRepository } from './department.repository';
import { OrganizationLocks } from './organization-locks';

type MemberColumn =
  'name' | 'email' | 'department' | 'position' | 'mobile' | 'password' | 'description';

/** The department-member import's sheet: the original's columns, in its order. */
export const DEPARTMENT_MEMBER_SHEET: SheetLayout<MemberColumn> = {
  sheetName: '成员',
  notes: [
    '邮箱：必填。组织中已有账号的成员填其邮箱（或账号、手机号）；已注册但不在组织中的成员请先邀请。',
    '没有任何成员使用的邮箱：新建该成员并加入组织。姓名必填，即其登录账号（与注册相同的规则：字母、数字、_ . -，不区分大小写，不可重复）；手机必填。',
    '默认密码：只用于新建的成员，至少 8 个字符。不填则该账号没有可用的密码：成员用邮箱找回密码后登录。',
    '部门：上下级部门用英文\'/\'隔开，如"开发部/移动组"；一个账号只在一个部门。不填则部门不变。',
    '姓名、职位、手机、描述：填写时更新该成员在组织中的名片；不填则不变。',
    '有任何一行出错时不导入任何成员，并指出出错的行和列。',
  ].join('\n'),
  columns: [
    { key: 'name', header: '姓名', width: 14 },
    { key: 'email', header: '邮箱', required: true, width: 26 },
    { key: 'department', header: '部门', width: 24 },
    { key: 'position', header: '职位', width: 14 },
    { key: 'mobile', header: '手机', width: 16 },
    { key: 'password', header: '默认密码', width: 14 },
    { key: 'description', header: '描述', width: 30 },
  ],
};

export const DEPARTMENT_MEMBER_TEMPLATE_FILE_NAME = '批量导入成员模板.xlsx';

const CARD = {
  name: text({ max: 50, required: true }),
  position: text({ max: 50, required: true }),
  mobile: mobileNumber,
  description: text({ max: 500, multiline: true }),
} satisfies Partial<Record<MemberColumn, z.ZodType>>;

/** What a department-member import changed: how many accounts, and how many members it created. */
export interface DepartmentMemberImportResult {
  updated: number;
  created: number;
}

/** A row naming nobody by an email address: the member it creates. */
interface NewMemberRow {
  index: number;
  email: string;
  passwordHash: string;
}

/**
 * Accounts put into departments from an .xlsx sheet (the original's template: name, email,
 * department path, position, mobile, default password, description). A row names a member
 * who already holds an account in the organization (by email, account name or mobile), or by
 * an email no member has, a member to create, as the original did: the name is their login
 * account (the registration rules), the mobile is required, and the default password, when
 * given, is theirs (hashed as registration hashes one); without one the account has no
 * password that opens it until its member resets it by mail. A member who exists but is not in
 * the organization is refused: joining is their own choice, through an invitation. Each
 * account goes into the department its path names (`开发部/移动组`), with the contact card's
 * filled-in fields. All or nothing: any wrong cell refuses the whole file, naming each wrong
 * row and column (400); the changes are made in one transaction under the organization's lock.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class DepartmentImportService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly departments: DepartmentRepository,
    private readonly locks: OrganizationLocks,
    private readonly directory: UserDirectory,
    private readonly enrolment: MemberEnrolment,
    private readonly center: ConfigCenter,
  ) {}

  /** The blank sheet to fill in. */
  template(): Promise<Buffer> {
    return sheetTemplate(DEPARTMENT_MEMBER_SHEET);
  }

  /** The sheet of a multipart/form-data request (its `file` part), imported. */
  async importFromForm(
    callerId: number,
    organizationId: number,
    request: FastifyRequest,
  ): Promise<DepartmentMemberImportResult> {
    const { bytes } = await readSmallUpload(request, ['file'], this.center.config.imports.maxBytes);
    return this.importMembers(callerId, organizationId, bytes);
  }

  async importMembers(
    callerId: number,
    organizationId: number,
    file: Buffer,
  ): Promise<DepartmentMemberImportResult> {
    const { imports } = this.center.config;
    if (file.length > imports.maxBytes) {
      refuseRows([{ field: 'file', message: `must be at most ${imports.maxBytes} bytes` }]);
    }
    const rows = await readSheet(file, DEPARTMENT_MEMBER_SHEET, {
      field: 'file',
      maxRows: imports.maxRows,
    });
    const memberIds: (number | null)[] = [];
    for (const { cells } of rows) {
      memberIds.push(cells.email ? await this.directory.memberIdByAddress(cells.email) : null);
    }
    const newRows = await this.newMemberRows(rows, memberIds);
    return this.locks.withOrganization(organizationId, async (manager) => {
      const problems: FieldProblem[] = [];
      const wrong = (row: number, key: MemberColumn, message: string) =>
        problems.push(cellProblem(DEPARTMENT_MEMBER_SHEET, row, key, message));
      const departmentIds = await this.departmentPaths(organizationId);
      const updates: { accountId: number; changes: AccountChanges }[] = [];
      const creations: (NewMemberRow & { account: string; changes: AccountChanges })[] = [];
      const rowOfAccount = new Map<number, number>();
      // A new member's email, account name and mobile, by the row that named them first.
      const seen = new Map<string, number>();
      for (const [index, { row, cells }] of rows.entries()) {
        const changes = this.cardChanges(row, cells, wrong);
        if (cells.department) {
          const departmentId = departmentIds.get(pathKey(cells.department));
          if (cells.department.includes(';')) {
            wrong(row, 'department', 'one department only: an account is in one department');
          } else if (departmentId === undefined) {
            wrong(row, 'department', `no department "${cells.department}" in the organization`);
          } else changes.departmentId = departmentId;
        }
        if (!cells.email) {
          wrong(row, 'email', 'required');
          continue;
        }
        const created = newRows.get(index);
        if (created) {
          const account = await this.checkNewMember(manager, rows[index], created, seen, wrong);
          creations.push({ ...created, account, changes });
          continue;
        }
        const memberId = memberIds[index];
        if (memberId === null) {
          wrong(row, 'email', 'no member has it: to create one, give their email address');
          continue;
        }
        const account = await this.accounts.ofMember(manager, organizationId, memberId);
        if (!account) {
          wrong(row, 'email', 'no account of the organization has it: invite the member first');
          continue;
        }
        const earlier = rowOfAccount.get(account.id);
        if (earlier !== undefined) {
          wrong(row, 'email', `the same account as row ${earlier}`);
          continue;
        }
        rowOfAccount.set(account.id, row);
        updates.push({ accountId: account.id, changes });
      }
      refuseRows(problems);
      for (const { index, account: login, email, passwordHash, changes } of creations) {
        const { name, mobile } = rows[index].cells;
        // A registration between the check and the insert: the whole import is rolled back.
        const memberId = await uniqueOn('file', RACE_LOST, () =>
          this.enrolment.create(manager, { account: login, name, email, mobile }, passwordHash),
        );
        await this.accounts.join(manager, organizationId, memberId);
        const account = await this.accounts.ofMember(manager, organizationId, memberId);
        updates.push({ accountId: account!.id, changes });
      }
      for (const { accountId, changes } of updates) {
        if (Object.keys(changes).length) await this.accounts.update(accountId, changes, manager);
      }
      return { updated: updates.length, created: creations.length };
    });
  }

  /**
   * The rows naming nobody by a well-formed email address, with their password's stored form,
   * hashed before the organization's lock is taken (scrypt takes its time per row).
   */
  private async newMemberRows(
    rows: SheetRow<MemberColumn>[],
    memberIds: (number | null)[],
  ): Promise<Map<number, NewMemberRow>> {
    const indexes = rows.flatMap(({ cells }, index) =>
      memberIds[index] === null && emailAddress.safeParse(cells.email).success ? [index] : [],
    );
    const hashes = await this.enrolment.passwordHashes(
      indexes.map((index) => newPassword.safeParse(rows[index].cells.password).data),
    );
    return new Map(
      indexes.map((index, at) => [
        index,
        { index, email: rows[index].cells.email.toLowerCase(), passwordHash: hashes[at] },
      ]),
    );
  }

  /**
   * A new member's row as registration checks a new member: the name as a login account, a
   * mobile, a password of the registration's rule when given, none of them another member's
   * or an earlier row's (account names compared as registration compares them). Its account
   * name (NFC) when the row is right.
   */
  private async checkNewMember(
    manager: EntityManager,
    { row, cells }: SheetRow<MemberColumn>,
    created: NewMemberRow,
    seen: Map<string, number>,
    wrong: (row: number, key: MemberColumn, message: string) => void,
  ): Promise<string> {
    const named = accountName.safeParse(cells.name);
    if (!cells.name) wrong(row, 'name', 'required for a new member: it is their login account');
    else if (!named.success) wrong(row, 'name', named.error.issues[0]?.message ?? 'invalid');
    if (!cells.mobile) wrong(row, 'mobile', 'required for a new member');
    const password = newPassword.safeParse(cells.password);
    if (cells.password && !password.success) {
      wrong(row, 'password', password.error.issues[0]?.message ?? 'invalid');
    }
    const uniques: { column: MemberColumn; key: string; what: string }[] = [
      { column: 'email', key: `email:${created.email}`, what: 'email' },
    ];
    if (named.success) {
      uniques.push({
        column: 'name',
        key: `account:${accountKey(named.data)}`,
        what: 'account name',
      });
    }
    if (cells.mobile) {
      uniques.push({
        column: 'mobile',
        key: `mobile:${cells.mobile.toLowerCase()}`,
        what: 'mobile',
      });
    }
    for (const { column, key, what } of uniques) {
      const earlier = seen.get(key);
      if (earlier !== undefined) wrong(row, column, `the same ${what} as row ${earlier}`);
      else seen.set(key, row);
    }
    if (!named.success || !cells.mobile) return '';
    const taken = await this.enrolment.taken(manager, {
      account: named.data,
      email: created.email,
      mobile: cells.mobile,
    });
    const columns = { account: 'name', email: 'email', mobile: 'mobile' } as const;
    for (const field of taken) wrong(row, columns[field], TAKEN_MESSAGES[field]);
    return named.data;
  }

  /** The contact card's filled-in fields, each checked as an account update checks it. */
  private cardChanges(
    row: number,
    cells: SheetRow<MemberColumn>['cells'],
    wrong: (row: number, key: MemberColumn, message: string) => void,
  ): AccountChanges {
    const changes: AccountChanges = {};
    for (const key of ['name', 'position', 'mobile', 'description'] as const) {
      if (!cells[key]) continue;
      const parsed = CARD[key].safeParse(cells[key]);
      if (!parsed.success) {
        wrong(row, key, parsed.error.issues[0]?.message ?? 'invalid');
        continue;
      }
      if (key === 'name') changes.displayName = parsed.data;
      else changes[key] = parsed.data;
    }
    return changes;
  }

  /** Every department of the organization by its path of names (`开发部/移动组`). */
  private async departmentPaths(organizationId: number): Promise<Map<string, number>> {
    const all = await this.departments.listAll(organizationId);
    const byId = new Map(all.map((department) => [department.id, department]));
    const pathOf = (id: number): string[] => {
      const names: string[] = [];
      for (let at = byId.get(id); at; at = at.parentId ? byId.get(at.parentId) : undefined) {
        names.unshift(at.name);
        if (names.length > all.length) break;
      }
      return names;
    };
    const paths = new Map<string, number>();
    for (const department of all) {
      const key = pathKey(pathOf(department.id).join('/'));
      if (!paths.has(key)) paths.set(key, department.id);
    }
    return paths;
  }
}

const RACE_LOST =
  "a member registered meanwhile with a row's email, account name or mobile: import the file again";

/** A department path compared without the spaces around its names. */
const pathKey = (path: string) =>
  path
    .split('/')
    .map((name) => name.trim())
    .join('/');
