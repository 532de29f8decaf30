import { z } from 'zod';
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

export type SendAnnouncementRequest = z.infer<typeof sendAnnouncementRequest>;
export type UpdateAnnouncementRequest = z.infer<typeof updateAnnouncementRequest>;
