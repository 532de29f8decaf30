import { z } from 'zod';
import { Problem } from '@/common/problem';
import { decodeId } from '@/common/public-id';
import { clientTime } from '../client-time';
import { chunkFields } from '@/modules/file/dto/file.schemas';
import { clientRoute, code, subjectCode } from '../client-route';

const TASK_DATA = "a task's files, under its project's membership";

/** The most files a task detail lists at once. */
const MAX_TASK_FILES = 100;

/** The fields the client adds to simple-uploader's own: the task is the one that counts. */
const CLIENT_UPLOAD_FIELDS = ['taskCode', 'projectCode', 'projectName'];

export const FILE_ROUTES = [
  clientRoute({
    path: 'project/task/taskSources',
    summary: "A task's files, newest first",
    uses: 'FileService.listTaskFiles, FileService.linkTo, ProjectService.get',
    status: 'full',
    note: 'file_url is a signed download link, valid for attachments.downloadLinkTtlSeconds; files are the only kind of source',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services, timeZone, fileUrl }) {
      const page = await services.files.listTaskFiles(memberId, params.taskCode, {
        page: 1,
        pageSize: MAX_TASK_FILES,
      });
      const projectName = page.items.length
        ? (await services.projects.get(memberId, decodeId(page.items[0].projectId, 'project'))).name
        : '';
      return page.items.map((file) => ({
        id: file.id,
        code: file.id,
        title: file.title,
        source_type: 'file',
        source_code: file.id,
        link_type: 'task',
        link_code: file.taskId,
        create_by: file.uploader.id,
        create_time: clientTime(file.createdAt, timeZone),
        sourceDetail: {
          code: file.id,
          title: file.title,
          extension: file.extension,
          size: file.size,
          fullName: file.title,
          file_url: fileUrl(file.id),
          projectName,
          create_time: clientTime(file.createdAt, timeZone),
        },
      }));
    },
  }),
  clientRoute({
    path: 'project/file/uploadFiles',
    summary:
      "Attach a file to a task in chunks (simple-uploader's multipart fields, taskCode among them); the last chunk answers with the file",
    uses: 'UploadService.uploadChunkNamingTask, FileService.linkTo, ProjectService.get',
    status: 'full',
    note: 'multipart/form-data, the file part last; answers before the last chunk have empty file, url and key; url is a signed download link',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({}),
    multipart: z.object({
      ...chunkFields.shape,
      taskCode: code('task'),
      projectCode: z.string().optional(),
      projectName: z.string().optional(),
    }),
    async handle({ memberId, services, request, fileUrl }) {
      const answer = await services.uploads.uploadChunkNamingTask(memberId, request, (fields) => {
        const taskCode = fields.taskCode;
        for (const field of CLIENT_UPLOAD_FIELDS) delete fields[field];
        if (!taskCode) throw Problem.invalid([{ field: 'taskCode', message: 'required' }]);
        return decodeId(taskCode, 'task');
      });
      const file = answer.file;
      if (!file) {
        const { complete, received, totalChunks } = answer;
        return {
          complete,
          received,
          totalChunks,
          file: '',
          hash: '',
          key: '',
          url: '',
          projectName: '',
        };
      }
      const project = await services.projects.get(memberId, decodeId(file.projectId, 'project'));
      return {
        complete: true,
        received: answer.received,
        totalChunks: answer.totalChunks,
        file: file.title,
        hash: file.id,
        key: file.id,
        url: fileUrl(file.id),
        projectName: project.name,
      };
    },
  }),
];
