import { z } from 'zod';
import { decodeId } from '@/common/public-id';
import { spreadsheetDownload, XLSX_TYPE } from '@/common/spreadsheet-reply';
import { DEPARTMENT_MEMBER_TEMPLATE_FILE_NAME } from '@/modules/organization/department-import.service';
import { TASK_TEMPLATE_FILE_NAME } from '@/modules/project/task-import.service';
import { Problem } from '@/common/problem';
import { clientRoute } from '../client-route';

const PROJECT_DATA = "a project's own rules apply: its members, some operations only its owner";
const BLANK = 'a blank template, the same for everyone';
const DOWNLOAD_NOTE =
  'served at GET; the page opens it as a plain link, which sends no bearer header but the HttpOnly download-pass cookie of project/login and index/index/refreshAccessToken (same-site deployments; good while that access token and its session are; no other route reads it); without either, HTTP 401';
const IMAGE_NOTE =
  'multipart/form-data; PNG, JPEG, GIF or WebP told by its leading bytes, at most images.maxBytes; the link lasts images.linkTtlSeconds and stands for the uploader, checked again each time it is followed';

/** The parts the description editor may send its picture in (wangEditor's `image[]` first). */
const EDITOR_IMAGE_PARTS = ['image[]', 'image', 'file'];

/**
 * Pictures (the description editor's, project and template covers) and spreadsheet imports
 * (tasks, department members) with their blank templates.
 */
export const IMPORT_ROUTES = [
  clientRoute({
    path: 'project/index/uploadImg',
    summary:
      'Upload a picture for a task description (the editor sends part image[]): answers its link in data, and errno 0 as the editor reads it',
    uses: 'ImageService.uploadFromForm',
    status: 'full',
    note: `${IMAGE_NOTE}; one picture per request`,
    scope: { orgPermission: 'project/index/index' },
    params: z.object({}),
    multipart: z.object({}),
    answer: (envelope) => ({ ...envelope, errno: 0 }),
    async handle({ memberId, services, request, organization, linkBase }) {
      const image = await services.images.uploadFromForm(
        memberId,
        await organization(),
        request,
        EDITOR_IMAGE_PARTS,
      );
      return [linkBase + image.url];
    },
  }),
  clientRoute({
    path: 'project/project/uploadCover',
    summary:
      "Upload a project cover (part cover): answers its link (url), which the project's settings then save as its cover",
    uses: 'ImageService.uploadFromForm',
    status: 'full',
    note: `${IMAGE_NOTE}; the cover changes when the settings are saved (project/project/edit), as in the original`,
    scope: { orgPermission: 'project/index/index' },
    params: z.object({}),
    multipart: z.object({}),
    async handle({ memberId, services, request, organization, linkBase }) {
      const image = await services.images.uploadFromForm(memberId, await organization(), request, [
        'cover',
      ]);
      return { url: linkBase + image.url, contentType: image.contentType, size: image.size };
    },
  }),
  clientRoute({
    path: 'project/project_template/uploadCover',
    summary:
      'Upload a project template cover (part cover): answers its link (url), which the template form then saves as its cover',
    uses: 'ImageService.uploadFromForm',
    status: 'full',
    note: `${IMAGE_NOTE}; the cover changes when the template is saved (project/project_template/save or edit)`,
    scope: { orgPermission: 'project/project_template' },
    params: z.object({}),
    multipart: z.object({}),
    async handle({ memberId, services, request, organization, linkBase }) {
      const image = await services.images.uploadFromForm(memberId, await organization(), request, [
        'cover',
      ]);
      return { url: linkBase + image.url, contentType: image.contentType, size: image.size };
    },
  }),
  clientRoute({
    path: 'project/task/_downloadTemplate',
    summary: 'The blank .xlsx sheet of a task import (批量导入任务模板.xlsx)',
    uses: 'TaskImportService.template',
    status: 'full',
    note: `${DOWNLOAD_NOTE}; the same sheet is at GET /api/v1/task-import-template`,
    scope: { notOrgScoped: BLANK },
    params: z.object({}),
    download: { produces: XLSX_TYPE },
    async handle({ services }) {
      return spreadsheetDownload(await services.taskImports.template(), TASK_TEMPLATE_FILE_NAME);
    },
  }),
  clientRoute({
    path: 'project/task/uploadFile',
    summary:
      'Create tasks in a project from an .xlsx sheet laid out as the template (multipart: projectCode, then part file): answers how many were created',
    uses: 'TaskImportService.importFromForm',
    status: 'full',
    note: 'all or none: any wrong cell (no such task list or project member, a bad date or priority, a wrong column header, not an .xlsx) refuses the whole file with code 400 naming its row and column; at most imports.maxBytes and imports.maxRows rows; dates in webClient.timeZone; a child task names its parent above it or in the project; tags are not imported',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({}),
    multipart: z.object({ projectCode: z.string() }),
    async handle({ memberId, services, request, timeZone }) {
      const result = await services.taskImports.importFromForm(
        memberId,
        request,
        (fields) => {
          if (!fields.projectCode) {
            throw Problem.invalid([{ field: 'projectCode', message: 'required' }]);
          }
          return decodeId(fields.projectCode, 'project');
        },
        timeZone,
      );
      return result.imported;
    },
  }),
  clientRoute({
    path: 'project/department_member/_downloadTemplate',
    summary: 'The blank .xlsx sheet of a department-member import (批量导入成员模板.xlsx)',
    uses: 'DepartmentImportService.template',
    status: 'full',
    note: `${DOWNLOAD_NOTE}; the same sheet is at GET /api/v1/department-member-import-template`,
    scope: { notOrgScoped: BLANK },
    params: z.object({}),
    download: { produces: XLSX_TYPE },
    async handle({ services }) {
      return spreadsheetDownload(
        await services.departmentImports.template(),
        DEPARTMENT_MEMBER_TEMPLATE_FILE_NAME,
      );
    },
  }),
  clientRoute({
    path: 'project/department_member/uploadFile',
    summary:
      "Put the organization's accounts into departments from an .xlsx sheet laid out as the template (multipart, part file), creating the members whose email no member has: answers how many accounts it named",
    uses: 'DepartmentImportService.importFromForm',
    status: 'partial',
    note: "each row names an account of the organization (email, account name or mobile), or by an email no member has a member to create and add, as the original did: 姓名 their login account (registration's rules), 手机 required, 默认密码 theirs, else none opens the account until a reset by mail. Then its department path (开发部/移动组) and card. A member outside the organization is refused (invitations only); all or none, code 400 naming row and column",
    scope: { orgPermission: 'project/department_member/invitemember' },
    params: z.object({}),
    multipart: z.object({}),
    async handle({ memberId, services, request, organization }) {
      const result = await services.departmentImports.importFromForm(
        memberId,
        await organization(),
        request,
      );
      return result.updated;
    },
  }),
];
