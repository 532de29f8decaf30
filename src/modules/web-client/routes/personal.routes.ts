import { z } from 'zod';
import type { NotificationKind } from '@/modules/notification/entities';
import { clientRoute, formInt } from '../client-route';
import { clientMember } from '../client-views';
import { clientNotification, TAB_KINDS } from './home.routes';

const OWN = "the member's own data";

/** The notifications each type shows at once. */
const PER_TYPE = 20;

/** The member's own details, and their notifications by type. */
export const PERSONAL_ROUTES = [
  clientRoute({
    path: 'project/index/info',
    summary: "The calling member's own details (the personal settings form)",
    uses: 'UserService.me',
    status: 'full',
    note: 'id is passed over: a member reads only their own details here (others through project/account/read)',
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    async handle({ memberId, services, timeZone }) {
      return clientMember(await services.users.me(memberId), timeZone);
    },
  }),
  clientRoute({
    path: 'project/index/systemConfig',
    summary:
      "The deployment's settings the client shows: app_name, app_version, site_name, site_copy, miitbeian",
    uses: 'SystemSettingsService.get',
    status: 'full',
    note: "saved through /api/v1/system-settings by the deployment's administrators (the client only reads them); read from the database on every call, so a change shows at once on every instance",
    scope: { notOrgScoped: "the deployment's own settings, the same for everyone" },
    params: z.object({}),
    async handle({ services }) {
      const settings = await services.systemSettings.get();
      return {
        app_name: settings.appName,
        app_version: settings.appVersion,
        site_name: settings.siteName,
        site_copy: settings.siteCopy,
        miitbeian: settings.miitbeian,
      };
    },
  }),
  clientRoute({
    path: 'index/notify/listTypeFormat',
    summary:
      "My notifications by the types the client filters on: the newest of each (message the task events, notice the others, task none), read or not, with each type's count",
    uses: 'NotificationService.list',
    status: 'full',
    note: `to is passed over (the notifications are the caller's); the newest ${PER_TYPE} of each type. The to-do type (task reminders) stays empty: msproject has no reminder kind`,
    scope: { notOrgScoped: "the member's own notifications" },
    params: z.object({
      to: formInt({ min: 0, max: 2 ** 31 })
        .or(z.literal(''))
        .optional(),
    }),
    async handle({ memberId, services, timeZone }) {
      const ofKinds = (kinds: readonly NotificationKind[]) =>
        services.notifications.list(memberId, {
          unreadOnly: false,
          kinds: [...kinds],
          page: 1,
          pageSize: PER_TYPE,
        });
      const message = await ofKinds(TAB_KINDS.message);
      const notice = await ofKinds(TAB_KINDS.notice);
      return {
        list: {
          message: message.items.map((item) => clientNotification(item, timeZone)),
          notice: notice.items.map((item) => clientNotification(item, timeZone)),
          task: [],
        },
        total: message.total + notice.total,
        totalSum: { message: message.total, notice: notice.total, task: 0 },
      };
    },
  }),
];
