import { z } from 'zod';
import { text } from '@/common/schema-types';
import { clientFile } from '../client-files';
import { clientRoute, flag, formPage, subjectCode } from '../client-route';
import { clientPage } from '../client-views';

const FILE_DATA = "a project's files: its members, each seeing the tasks they may see";

/** A file as the client's Files tab shows it, after an action on it. */
const fileCode = z.object({ fileCode: subjectCode('file') });

export const PROJECT_FILE_ROUTES = [
  clientRoute({
    path: 'project/file',
    summary:
      "The Files tab: the files of the project's tasks I can see, newest first; deleted=1: the recycle bin",
    uses: 'FileService.listProjectFiles',
    status: 'full',
    scope: { notOrgScoped: FILE_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      deleted: flag.default(false),
      ...formPage,
    }),
    async handle({ params, memberId, services, timeZone, fileUrl }) {
      const page = await services.files.listProjectFiles(memberId, params.projectCode, {
        deleted: params.deleted,
        page: params.page,
        pageSize: params.pageSize,
      });
      return clientPage(page, (file) => clientFile(fileUrl, file, timeZone));
    },
  }),
  clientRoute({
    path: 'project/file/read',
    summary: 'A file of a task I can see',
    uses: 'FileService.getFile',
    status: 'full',
    scope: { notOrgScoped: FILE_DATA },
    params: fileCode,
    async handle({ params, memberId, services, timeZone, fileUrl }) {
      const file = await services.files.getFile(memberId, params.fileCode);
      return clientFile(fileUrl, file, timeZone);
    },
  }),
  clientRoute({
    path: 'project/file/edit',
    summary:
      'Rename a file (title without the extension; it keeps its own). Its uploader or the project owner only',
    uses: 'FileService.renameFile',
    status: 'full',
    scope: { notOrgScoped: FILE_DATA },
    params: z.object({
      fileCode: subjectCode('file'),
      title: text({ max: 200, required: true }),
    }),
    async handle({ params, memberId, services, timeZone, fileUrl }) {
      const file = await services.files.renameFile(memberId, params.fileCode, params.title);
      return clientFile(fileUrl, file, timeZone);
    },
  }),
  clientRoute({
    path: 'project/file/recycle',
    summary: 'Move a file to the recycle bin. Its uploader or the project owner only',
    uses: 'FileService.deleteFile',
    status: 'full',
    scope: { notOrgScoped: FILE_DATA },
    params: fileCode,
    async handle({ params, memberId, services }) {
      await services.files.deleteFile(memberId, params.fileCode);
      return '';
    },
  }),
  clientRoute({
    path: 'project/file/recovery',
    summary: 'Take a file out of the recycle bin. Project owner only',
    uses: 'FileService.restoreFile',
    status: 'full',
    scope: { notOrgScoped: FILE_DATA },
    params: fileCode,
    async handle({ params, memberId, services, timeZone, fileUrl }) {
      const file = await services.files.restoreFile(memberId, params.fileCode);
      return clientFile(fileUrl, file, timeZone);
    },
  }),
  clientRoute({
    path: 'project/file/delete',
    summary:
      'Delete a file in the recycle bin for good, its stored bytes with it. Project owner only',
    uses: 'FileService.purgeFile',
    status: 'full',
    note: 'a file not in the recycle bin is refused (code 409). Project owner only',
    scope: { notOrgScoped: FILE_DATA },
    params: fileCode,
    async handle({ params, memberId, services }) {
      await services.files.purgeFile(memberId, params.fileCode);
      return '';
    },
  }),
];
