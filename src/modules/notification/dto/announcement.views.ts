import { encodeId } from '@/common/public-id';
import type { Announcement } from '../entities';

/** An announcement as its administrators see it: what it says and how many it reached. */
export function announcementView(announcement: Announcement) {
  return {
    id: encodeId(announcement.id, 'announcement'),
    title: announcement.title,
    content: announcement.content,
    recipients: announcement.recipients,
    createdBy: encodeId(announcement.createdBy, 'member'),
    createdAt: new Date(announcement.createdAt).toISOString(),
    updatedAt: new Date(announcement.updatedAt).toISOString(),
  };
}

export type AnnouncementView = ReturnType<typeof announcementView>;
