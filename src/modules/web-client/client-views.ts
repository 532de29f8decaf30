import type {
  ProjectView,
  TaskViewModel,
  TemplateStageView,
  TemplateView,
} from '@/modules/project/dto/project.views';
import type {
  activityView,
  projectMemberView,
  stageView,
  taskMemberView,
  workTimeView,
} from '@/modules/project/dto/project.views';
import type { TaskTagRef, TaskTagViewModel } from '@/modules/project/dto/task-tag.views';
import type { NodeView, RoleView } from '@/modules/organization/dto/access.views';
import type { AccountView } from '@/modules/organization/dto/account.views';
import type { DepartmentView } from '@/modules/organization/dto/department.views';
import type { MenuEntry } from '@/modules/organization/menu-tree';
import type { MemberSummary } from '@/modules/user/user-directory';
import type { MemberView, OrganizationView } from '@/modules/user/dto/user.views';
import type { TokenPair } from '@/modules/user/auth/token.service';
import { decodeJwt } from '@/modules/user/auth/hs256-jwt';
import { storedExecutionStatus } from '@/modules/project/task-tree';
import { clientAvatar } from './client-avatars';
import { clientLogLine } from './client-log-lines';
import { clientTime } from './client-time';

/**
 * What the original web client reads, in its names (snake_case where it reads snake_case),
 * mapped from the views REST and gRPC answer with: the same opaque ids (`code`, and `id`
 * where the client reads one, never a sequential number), 0/1 flags, times in the zone.
 */

const bit = (value: boolean) => (value ? 1 : 0);

/** The client lists: `{list, total, page}`. */
/**
 * The cover shown for a project or template that has none: the client draws every cover as an
 * image, and an empty one shows as a broken image. A small inline picture, loaded from nowhere.
 */
export const DEFAULT_COVER = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" viewBox="0 0 320 180">' +
    '<rect width="320" height="180" fill="#e6f7ff"/>' +
    '<path d="M0 140L90 80l70 50 60-35 100 55v30H0z" fill="#91d5ff"/></svg>',
)}`;

export function clientPage<T, U>(
  page: { items: T[]; total: number; page: number },
  map: (item: T) => U,
): { list: U[]; total: number; page: number } {
  return { list: page.items.map(map), total: page.total, page: page.page };
}

export function clientMember(member: MemberView, zone: string, organizationCode = '') {
  return {
    id: member.id,
    code: member.id,
    account: member.account,
    name: member.name,
    email: member.email,
    mobile: member.mobile,
    avatar: clientAvatar(member),
    description: member.description ?? '',
    status: 1,
    create_time: clientTime(member.createdAt, zone),
    last_login_time: clientTime(member.lastLoginAt, zone),
    organization_code: organizationCode,
  };
}

export function clientOrganization(
  organization: Pick<
    OrganizationView,
    'id' | 'name' | 'description' | 'address' | 'personal' | 'ownerId' | 'createdAt'
  >,
  zone: string,
) {
  return {
    id: organization.id,
    code: organization.id,
    name: organization.name,
    avatar: '',
    description: organization.description ?? '',
    owner_code: organization.ownerId,
    create_time: clientTime(organization.createdAt, zone),
    personal: bit(organization.personal),
    address: organization.address ?? '',
    province: 0,
    city: 0,
    area: 0,
  };
}

/**
 * `tokenList`: the client sends `${tokenType} ${accessToken}` and renews before
 * `accessTokenExp`, which is the access token's own `exp` claim (read back from the token just
 * signed, so the two never differ by the second a clock may tick between them).
 */
export function clientTokens(tokens: TokenPair) {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'bearer',
    accessTokenExp: decodeJwt(tokens.accessToken)!.exp as number,
  };
}

/** A member as the client shows others: never their contact details. */
export function clientPerson(member: MemberSummary | null) {
  return {
    id: member?.id ?? '',
    code: member?.id ?? '',
    name: member?.name ?? '',
    avatar: clientAvatar(member),
  };
}

export function clientProject(project: ProjectView, zone: string) {
  return {
    id: project.id,
    code: project.id,
    name: project.name,
    description: project.description ?? '',
    cover: project.cover || DEFAULT_COVER,
    private: bit(project.private),
    access_control_type: project.private ? 'private' : 'open',
    organization_code: project.organizationId ?? '',
    template_code: project.templateId ?? '',
    task_board_theme: project.taskBoardTheme,
    prefix: project.prefix ?? '',
    open_prefix: bit(project.openPrefix),
    open_begin_time: bit(project.openBeginTime),
    open_task_private: bit(project.openTaskPrivate),
    auto_update_schedule: bit(project.autoUpdateSchedule),
    schedule: project.schedule,
    archive: bit(project.archived),
    archive_time: clientTime(project.archivedAt, zone),
    deleted: bit(project.deleted),
    deleted_time: clientTime(project.deletedAt, zone),
    create_time: clientTime(project.createdAt, zone),
    owner_code: project.owner.id,
    owner_name: project.owner.name,
    owner_avatar: clientAvatar(project.owner),
    is_owner: bit(project.myRole === 'owner'),
    collected: bit(project.collected),
  };
}

export function clientTemplate(template: TemplateView, zone: string) {
  return {
    id: template.id,
    code: template.id,
    name: template.name,
    description: template.description ?? '',
    cover: template.cover || DEFAULT_COVER,
    is_system: bit(template.isSystem),
    sort: 0,
    create_time: clientTime(template.createdAt, zone),
    task_stages: template.stages.map((name) => ({ name })),
  };
}

/** A stage of a template, as its stage list page reads it. */
export function clientTemplateStage(stage: TemplateStageView, zone: string) {
  return {
    id: stage.id,
    code: stage.id,
    name: stage.name,
    sort: stage.sort,
    project_template_code: stage.templateId,
    create_time: clientTime(stage.createdAt, zone),
  };
}

/** A board column: the three task arrays must be there, the client pushes into them. */
export function clientStage(stage: ReturnType<typeof stageView>, zone: string) {
  return {
    id: stage.id,
    code: stage.id,
    name: stage.name,
    project_code: stage.projectId,
    description: stage.description ?? '',
    sort: stage.sort,
    deleted: 0,
    create_time: clientTime(stage.createdAt, zone),
    tasksLoading: true,
    fixedCreator: false,
    showTaskCard: false,
    tasks: [],
    doneTasks: [],
    unDoneTasks: [],
  };
}

export function clientProjectMember(row: ReturnType<typeof projectMemberView>, zone: string) {
  return {
    ...clientPerson(row.member),
    email: '',
    is_owner: bit(row.role === 'owner'),
    join_time: clientTime(row.joinedAt, zone),
  };
}

const PRIORITY_TEXT = ['普通', '紧急', '非常紧急'];
/** The execution states by their number, as the client names them. */
const STATUS_TEXT = ['未开始', '已完成', '进行中', '挂起', '测试中'];

/**
 * A task card and detail: `canRead`, `childCount` ([live children, done ones]), `tags` (the
 * task's tag links, each with its tag) and `executor` must be there; a child task's detail shows `parentTasks` as its breadcrumb.
 */
export function clientTask(
  task: TaskViewModel,
  zone: string,
  context: { projectName?: string; stageName?: string } = {},
) {
  const parent = task.ancestors.at(-1);
  const status = storedExecutionStatus(task.executionStatus);
  return {
    id: task.id,
    code: task.id,
    id_num: task.number,
    name: task.name,
    description: task.description ?? '',
    project_code: task.projectId,
    stage_code: task.stageId,
    projectName: context.projectName ?? '',
    stageName: context.stageName ?? '',
    pcode: task.parentId ?? '',
    parentTask: parent ? { code: parent.id, name: parent.name ?? '' } : null,
    parentTasks: task.ancestors.map((ancestor) => ({
      code: ancestor.id,
      name: ancestor.name ?? '',
    })),
    parentDone: bit(task.parentDone),
    hasUnDone: bit(task.hasUndoneChildren),
    childCount: [task.childCount, task.doneChildCount],
    sort: task.sort,
    pri: task.priority,
    priText: PRIORITY_TEXT[task.priority] ?? PRIORITY_TEXT[0],
    status,
    statusText: STATUS_TEXT[status],
    execute_state: 0,
    done: bit(task.done),
    done_time: clientTime(task.doneAt, zone),
    deleted: bit(task.deleted),
    deleted_time: clientTime(task.deletedAt, zone),
    private: bit(task.private),
    canRead: 1,
    begin_time: clientTime(task.beginAt, zone),
    end_time: clientTime(task.endAt, zone),
    create_time: clientTime(task.createdAt, zone),
    create_by: task.creator.id,
    assign_to: task.assignee?.id ?? '',
    executor: clientPerson(task.assignee),
    // The detail's tag list reads each link's tag; the board card reads the tags themselves.
    tags: task.tags.map((tag) => clientTagOnTask(tag, task.id)),
    task_tag_item_list: task.tags.map(clientTagRef),
    like: task.likeCount,
    liked: bit(task.liked),
    star: task.starCount,
    stared: bit(task.starred),
    hasSource: 0,
    hasComment: 0,
    work_time: task.estimatedHours ?? 0,
  };
}

export function clientTaskMember(row: ReturnType<typeof taskMemberView>, zone: string) {
  return {
    ...clientPerson(row.member),
    membar_account_code: row.member.id,
    is_executor: bit(row.isExecutor),
    is_owner: bit(row.isOwner),
    join_time: clientTime(row.joinedAt, zone),
  };
}

type Activity = ReturnType<typeof activityView>;

/**
 * An activity entry as a log line. The task detail shows a comment as HTML (`html`: escaped);
 * the home page and the Overview show it as text (`text`: as written).
 */
export function clientActivity(entry: Activity, zone: string, comments: 'html' | 'text' = 'html') {
  const line = clientLogLine(entry);
  return {
    id: entry.id,
    code: entry.id,
    type: entry.type,
    action_type: entry.taskId ? 'task' : 'project',
    is_comment: bit(entry.isComment),
    icon: line.icon,
    remark: line.remark,
    content: entry.isComment && comments === 'text' ? entry.content : line.content,
    project_code: entry.projectId,
    source_code: entry.taskId ?? '',
    member_code: entry.member.id,
    create_time: clientTime(entry.createdAt, zone),
    member: clientPerson(entry.member),
  };
}

/** A home page log line: the activity with its member, project and task flattened. */
export function clientProjectLog(
  entry: Activity,
  zone: string,
  names: { projectName: string; taskName: string },
) {
  return {
    ...clientActivity(entry, zone, 'text'),
    member_name: entry.member.name,
    member_avatar: clientAvatar(entry.member),
    project_name: names.projectName,
    task_name: names.taskName,
  };
}

export function clientWorkTime(entry: ReturnType<typeof workTimeView>, zone: string) {
  return {
    id: entry.id,
    code: entry.id,
    task_code: entry.taskId,
    member_code: entry.member.id,
    num: entry.hours,
    content: entry.description ?? '',
    begin_time: clientTime(entry.beginAt, zone),
    create_time: clientTime(entry.createdAt, zone),
    member: clientPerson(entry.member),
  };
}

/**
 * A menu entry as the client builds its routes from it: the original's numeric `id` and `pid`
 * (route names, compared with `==`), `children` only on a group (a leaf with `[]` crashes it).
 */
export interface ClientMenu {
  id: number;
  pid: number;
  title: string;
  icon: string;
  url: string;
  file_path: string;
  params: string;
  node: string;
  sort: number;
  status: number;
  create_by: number;
  is_inner: number;
  values: string;
  show_slider: number;
  statusText: string;
  innerText: string;
  fullUrl: string;
  children?: ClientMenu[];
}

export function clientMenu(entry: MenuEntry): ClientMenu {
  const menu: ClientMenu = {
    id: entry.id,
    pid: entry.parentId,
    title: entry.title,
    icon: entry.icon,
    url: entry.url,
    file_path: entry.filePath,
    params: entry.params,
    node: entry.node,
    sort: entry.sort,
    status: entry.status,
    create_by: 0,
    is_inner: bit(Boolean(entry.isInner)),
    values: entry.values,
    show_slider: bit(Boolean(entry.showSlider)),
    statusText: entry.statusText,
    innerText: entry.innerText,
    fullUrl: entry.fullUrl,
  };
  if (entry.children) menu.children = entry.children.map(clientMenu);
  return menu;
}

export interface ClientNode {
  id: string;
  node: string;
  title: string;
  pnode: string;
  is_menu: number;
  is_login: number;
  is_auth: number;
  children?: ClientNode[];
}

/** A permission node of the catalogue page, `pnode` its group's node. */
export function clientNode(node: NodeView, parent: string): ClientNode {
  const view: ClientNode = {
    id: node.node,
    node: node.node,
    title: node.title,
    pnode: parent,
    is_menu: bit(node.isMenu),
    is_login: bit(node.isLogin),
    is_auth: bit(node.isAuth),
  };
  if (node.children) view.children = node.children.map((child) => clientNode(child, node.node));
  return view;
}

export interface ClientAuthNode {
  key: string;
  title: string;
  checked: boolean;
  children?: ClientAuthNode[];
}

/** The role page's tree (the client's tree component reads key, title, children). */
export function clientAuthTree(node: NodeView): ClientAuthNode {
  const view: ClientAuthNode = {
    key: node.node,
    title: node.title,
    checked: Boolean(node.checked),
  };
  if (node.children) view.children = node.children.map(clientAuthTree);
  return view;
}

export function clientRole(role: RoleView, zone: string) {
  return {
    id: role.id,
    code: role.id,
    organization_code: role.organizationId,
    title: role.name,
    desc: role.description ?? '',
    type: role.kind,
    sort: 0,
    status: bit(role.status === 'active'),
    is_default: bit(role.isDefault),
    canDelete: bit(role.canDelete),
    create_by: '',
    create_at: clientTime(role.createdAt, zone),
  };
}

/** An account of the member page: never the member's contact details. */
/**
 * An account as the invite dialogs list it (project and department alike): `joined` marks those
 * already in; the email stays hidden, as everywhere.
 */
export function clientInviteCandidate(account: AccountView, joined: boolean) {
  return {
    code: account.id,
    accountCode: account.id,
    memberCode: account.member.id,
    name: account.member.name,
    avatar: clientAvatar(account.member),
    email: '',
    joined,
  };
}

export function clientAccount(account: AccountView, zone: string) {
  return {
    id: account.id,
    code: account.id,
    membar_account_code: account.id,
    member_code: account.member.id,
    organization_code: account.organizationId,
    account: account.member.account,
    name: account.name ?? account.member.name,
    avatar: clientAvatar(account.member),
    // The account's card in the organization; the member's own email and mobile never show.
    email: account.email ?? '',
    mobile: account.mobile ?? '',
    description: account.description ?? '',
    status: bit(account.status === 'active'),
    statusText: account.status === 'active' ? '使用中' : '禁用',
    is_owner: bit(account.owner),
    authorize: account.role?.id ?? '',
    authorizeArr: account.role ? [account.role.id] : [],
    department_code: account.department?.id ?? '',
    departments: account.department?.name ?? '',
    position: account.position ?? '',
    create_time: clientTime(account.joinedAt, zone),
  };
}

/** A department; `hasNext` tells the client's tree whether it opens further. */
export function clientDepartment(department: DepartmentView, zone: string, hasNext: boolean) {
  return {
    id: department.id,
    code: department.id,
    organization_code: department.organizationId,
    name: department.name,
    sort: department.sort,
    pcode: department.parentId ?? '',
    path: department.ancestorIds.join(','),
    hasNext: bit(hasNext),
    create_time: clientTime(department.createdAt, zone),
  };
}

/** A tag as the tag menu and the tag list read it. */
export function clientTaskTag(tag: TaskTagViewModel, zone: string) {
  return {
    id: tag.id,
    code: tag.id,
    name: tag.name,
    color: tag.color,
    project_code: tag.projectId,
    create_time: clientTime(tag.createdAt, zone),
  };
}

function clientTagRef(tag: TaskTagRef) {
  return { code: tag.id, name: tag.name, color: tag.color };
}

/** A task's tag link: the tag menu matches `tag_code`, the detail shows `tag`. */
export function clientTagOnTask(tag: TaskTagRef, taskCode: string) {
  return { code: tag.id, tag_code: tag.id, task_code: taskCode, tag: clientTagRef(tag) };
}
