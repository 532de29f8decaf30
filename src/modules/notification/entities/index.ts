import { Notification } from './notification.entity';

export { Notification };
export { NOTIFICATION_KINDS, type NotificationKind } from './notification.entity';

export const NOTIFICATION_ENTITIES = [Notification];
