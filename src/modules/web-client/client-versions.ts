import type {
  featureView,
  VersionLogViewModel,
  VersionViewModel,
} from '@/modules/project/dto/version.views';
import { VERSION_STATUSES, type VersionLogType } from '@/modules/project/entities';
import { escapeHtml } from './client-log-lines';
import { clientTime } from './client-time';
import { clientPerson } from './client-views';

/** The client's status numbers and their words, in VERSION_STATUSES order. */
const STATUS_TEXT = ['未开始', '进行中', '延期发布', '已发布'] as const;

export function clientVersionStatus(status: VersionViewModel['status']): number {
  return Math.max(0, VERSION_STATUSES.indexOf(status));
}

export function clientFeature(feature: ReturnType<typeof featureView>, zone: string) {
  return {
    id: feature.id,
    code: feature.id,
    name: feature.name,
    description: feature.description ?? '',
    project_code: feature.projectId,
    create_time: clientTime(feature.createdAt, zone),
  };
}

export function clientVersion(version: VersionViewModel, zone: string) {
  const status = clientVersionStatus(version.status);
  return {
    id: version.id,
    code: version.id,
    name: version.name,
    description: version.description ?? '',
    status,
    statusText: STATUS_TEXT[status],
    schedule: version.schedule,
    start_time: clientTime(version.startAt, zone),
    plan_publish_time: clientTime(version.plannedPublishAt, zone),
    publish_time: clientTime(version.publishedAt, zone),
    create_time: clientTime(version.createdAt, zone),
    features_code: version.featureId,
    featureName: version.featureName,
    projectCode: version.projectId,
  };
}

/** `05月01日 09:30`, as the original's history says times. */
function shortTime(value: string | null, zone: string): string {
  const full = clientTime(value, zone);
  return full ? `${full.slice(5, 7)}月${full.slice(8, 10)}日 ${full.slice(11, 16)}` : '';
}

/** A history line's headline, detail and icon, as HTML with what members wrote escaped. */
function logLine(entry: VersionLogViewModel, zone: string) {
  const content = escapeHtml(entry.content ?? '');
  const tasks = escapeHtml(entry.taskNames.join('，'));
  const lines: Record<VersionLogType, () => { remark: string; content: string; icon: string }> = {
    created: () => ({ remark: '创建了版本 ', content, icon: 'plus' }),
    renamed: () => ({ remark: '更新了版本名 ', content, icon: 'edit' }),
    describedAs: () => ({ remark: '更新了备注 ', content, icon: 'file-text' }),
    descriptionCleared: () => ({ remark: '清空了备注 ', content: '', icon: 'file-text' }),
    startSet: () => ({
      remark: `更新开始时间为 ${shortTime(entry.content, zone)}`,
      content: '',
      icon: 'calendar',
    }),
    startCleared: () => ({ remark: '清除了开始时间 ', content: '', icon: 'calendar' }),
    plannedPublishSet: () => ({
      remark: `更新计划发布时间为 ${shortTime(entry.content, zone)}`,
      content: '',
      icon: 'calendar',
    }),
    plannedPublishCleared: () => ({ remark: '清除了计划发布时间 ', content: '', icon: 'calendar' }),
    statusChanged: () => {
      const status = VERSION_STATUSES.indexOf(entry.content as VersionViewModel['status']);
      return {
        remark: `更新了状态为 ${STATUS_TEXT[Math.max(0, status)]}`,
        content: '',
        icon: 'check-square',
      };
    },
    released: () => ({
      remark: `完成版本时间为 ${shortTime(entry.content, zone)}`,
      content: '',
      icon: 'check-square',
    }),
    tasksAdded: () => ({
      remark: `添加了 ${entry.taskNames.length} 项发布内容 `,
      content: tasks,
      icon: 'link',
    }),
    taskRemoved: () => ({ remark: '移除了发布内容', content: tasks, icon: 'disconnect' }),
  };
  return lines[entry.type]();
}

export function clientVersionLog(entry: VersionLogViewModel, zone: string) {
  return {
    id: entry.id,
    code: entry.id,
    source_code: entry.versionId,
    type: entry.type,
    member_code: entry.member.id,
    member: clientPerson(entry.member),
    ...logLine(entry, zone),
    create_time: clientTime(entry.createdAt, zone),
  };
}
