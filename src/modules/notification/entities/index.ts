import { Announcement } from './announcement.entity';
import { Notification } from './notification.entity';

export { Announcement, Notification };
export { NOTIFICATION_KINDS, type NotificationKind } from './notification.entity';

export const NOTIFICATION_ENTITIES = [Notification, Announcement];
