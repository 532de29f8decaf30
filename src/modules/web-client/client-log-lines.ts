import type { activityView } from '@/modules/project/dto/project.views';
import type { ActivityType } from '@/modules/project/entities';

type Activity = ReturnType<typeof activityView>;

/** The client shows log lines as HTML: escaped, a member's text stays the text it is. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A log line as the original shows it: a Chinese headline (`remark`, after the member's name)
 * and, under it, the detail (`content`), both HTML with what members wrote escaped.
 */
export interface ClientLogLine {
  remark: string;
  content: string;
  icon: string;
}

/**
 * The parts of an entry's recorded sentence that its line shows (a stage, a number of hours),
 * or undefined when the sentence is not of the expected shape: the line then shows its
 * headline alone, never the sentence.
 */
function parts(content: string, shape: RegExp): string[] | undefined {
  const match = shape.exec(content);
  return match ? match.slice(1).map((part) => part ?? '') : undefined;
}

const quoted = (value: string) => `「${escapeHtml(value)}」`;

/**
 * Every kind the domain records has its line (the type says so). A stage name with " to " in
 * it makes a move's two stages ambiguous: the first " to " splits them.
 */
const LINES: Record<ActivityType, (entry: Activity) => ClientLogLine> = {
  create: (entry) => ({
    remark: '创建了任务',
    content: escapeHtml(parts(entry.content, /^created the task ([\s\S]*)$/)?.[0] ?? ''),
    icon: 'plus',
  }),
  createChild: (entry) => {
    const [number] = parts(entry.content, /^added the child task #(\d+)$/) ?? [];
    return { remark: '添加了子任务', content: number ? `#${number}` : '', icon: 'plus' };
  },
  move: (entry) => {
    const [from, to] = parts(entry.content, /^moved the task from ([\s\S]*?) to ([\s\S]*)$/) ?? [];
    return {
      remark: '移动了任务',
      content: to === undefined ? '' : `从${quoted(from)}移动到${quoted(to)}`,
      icon: 'swap',
    };
  },
  assign: (entry) =>
    entry.toMember
      ? { remark: '指派了任务', content: `指派给 ${escapeHtml(entry.toMember.name)}`, icon: 'user' }
      : { remark: '移除了执行者', content: '', icon: 'user-delete' },
  done: () => ({ remark: '完成了任务', content: '', icon: 'check' }),
  undone: () => ({ remark: '重做了任务', content: '', icon: 'border' }),
  comment: (entry) => ({
    remark: '发表了评论',
    content: escapeHtml(entry.content),
    icon: 'message',
  }),
  update: () => ({ remark: '更新了任务', content: '', icon: 'edit' }),
  workTime: (entry) => {
    const [hours] = parts(entry.content, /^logged ([\d.]+) hours? of work$/) ?? [];
    return {
      remark: '登记了工时',
      content: hours ? `${hours} 小时` : '',
      icon: 'clock-circle',
    };
  },
  recycle: () => ({ remark: '把任务移到了回收站', content: '', icon: 'delete' }),
  restore: (entry) => {
    const [stage] = parts(entry.content, /^restored the task to ([\s\S]*)$/) ?? [];
    return {
      remark: '恢复了任务',
      content: stage === undefined ? '' : `恢复到${quoted(stage)}`,
      icon: 'undo',
    };
  },
  delete: (entry) => {
    const [number, children] =
      parts(entry.content, /^deleted the task #(\d+)(?: with its (\d+) child tasks)? for good$/) ??
      [];
    const detail = number ? `#${number}${children ? ` 及其 ${children} 个子任务` : ''}` : '';
    return { remark: '彻底删除了任务', content: detail, icon: 'delete' };
  },
  upload: (entry) => ({
    remark: '上传了文件',
    // The file's title is the whole entry.
    content: escapeHtml(entry.content),
    icon: 'link',
  }),
};

/** The Chinese line of an activity entry. */
export function clientLogLine(entry: Activity): ClientLogLine {
  return LINES[entry.type](entry);
}
