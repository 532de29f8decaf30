import { z } from 'zod';
import { pageFields } from '@/common/paging';
import { text } from '@/common/schema-types';

export const announcementTitle = text({ max: 100, required: true });
export const announcementContent = text({ max: 5000, multiline: true, required: true });

export const sendAnnouncementRequest = z.strictObject({
  title: announcementTitle,
  content: announcementContent,
});

/** One field or both; what members see changes with it. */
export const updateAnnouncementRequest = z
  .strictObject({
    title: announcementTitle.optional(),
    content: announcementContent.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

/** A page of the announcements, newest first. */
export const listAnnouncementsQuery = z.strictObject({ ...pageFields });

export type ListAnnouncementsQuery = z.infer<typeof listAnnouncementsQuery>;
export type SendAnnouncementRequest = z.infer<typeof sendAnnouncementRequest>;
export type UpdateAnnouncementRequest = z.infer<typeof updateAnnouncementRequest>;
