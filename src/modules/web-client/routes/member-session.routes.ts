import { z } from 'zod';
import { Problem } from '@/common/problem';
import { encodeId } from '@/common/public-id';
import { text } from '@/common/schema-types';
import type { Area } from '@/modules/organization/area-directory';
import { clientRoute } from '../client-route';
import { clientMember } from '../client-views';

const OWN = "the member's own account";

/** msproject signs in with its own accounts only: DingTalk's OAuth is not wired to anything. */
const DINGTALK_NOT_CONFIGURED =
  'DingTalk login is not configured on this msproject: log in with your account name, email or mobile and password';

/** DingTalk's sign-in, which msproject does not offer: code 503 with the message the client shows. */
function dingTalkNotConfigured(): Promise<never> {
  return Promise.reject(new Problem(503, 'not_configured', DINGTALK_NOT_CONFIGURED));
}

export const MEMBER_SESSION_ROUTES = [
  clientRoute({
    path: 'project/login/_currentMember',
    summary: 'The logged-in member, as the client keeps it (userInfo)',
    uses: 'UserService.me',
    status: 'full',
    note: "organization_code is the current organization's (the organizationCode header's, else my first)",
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    async handle({ memberId, services, timeZone, organization }) {
      const member = await services.users.me(memberId);
      return clientMember(member, timeZone, encodeId(await organization(), 'organization'));
    },
  }),
  clientRoute({
    path: 'project/login/_checkLogin',
    summary:
      'The login an OAuth redirect left behind (the login page asks after ?logged=1): msproject has none',
    uses: '(none)',
    status: 'empty',
    note: 'msproject has no OAuth login, so no login is ever waiting: data is null (401 without a token), and the client stays on (or goes back to) its login page',
    scope: { notOrgScoped: 'a login, before any organization' },
    params: z.object({}),
    handle() {
      return Promise.resolve(null);
    },
  }),
  clientRoute({
    path: 'index/oauth/dingTalkOauth',
    summary: "The login page's DingTalk button: not configured",
    uses: '(none)',
    status: 'empty',
    note: 'msproject has no DingTalk integration: code 503 with a message for a logged-in caller; 401 without a token (no route but login, registration and renewal is open to logged-out callers). The client navigates here (a GET, which is not served)',
    scope: { notOrgScoped: 'a login, before any organization' },
    params: z.object({
      redirect: text({ max: 2000 }).optional(),
      redirectPath: text({ max: 2000 }).optional(),
      bindDingtalk: text({ max: 10 }).optional(),
    }),
    handle: dingTalkNotConfigured,
  }),
  clientRoute({
    path: 'index/oauth/dingTalkLoginByCode',
    summary: 'Log in inside the DingTalk app with its auth code: not configured',
    uses: '(none)',
    status: 'empty',
    note: 'msproject has no DingTalk integration: code 503 with a message, whatever the code; 401 without a token',
    scope: { notOrgScoped: 'a login, before any organization' },
    params: z.object({ code: text({ max: 200 }).optional() }),
    handle: dingTalkNotConfigured,
  }),
  clientRoute({
    path: 'project/login/_unbindDingtalk',
    summary: 'Security settings: unbind my DingTalk account; answers me (userInfo)',
    uses: 'UserService.me',
    status: 'partial',
    note: 'msproject binds no DingTalk accounts, so there is nothing to unbind: changes nothing and answers the member as they are',
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    async handle({ memberId, services, timeZone }) {
      return clientMember(await services.users.me(memberId), timeZone);
    },
  }),
  clientRoute({
    path: 'index/index/bindClientId',
    summary: "Bind the client's websocket client id to me, for pushed notices: answers my code",
    uses: '(none)',
    status: 'partial',
    note: 'msproject pushes nothing (the client polls project/notify/noReads), so nothing is bound; the client opens no websocket unless built with VUE_APP_WS_URI',
    scope: { notOrgScoped: OWN },
    // The websocket server's connection name, sent as client_id: no id of msproject's.
    aliases: { client_id: 'socketConnection' },
    params: z.object({
      socketConnection: text({ max: 100 }).optional(),
      uid: text({ max: 100 }).optional(),
    }),
    handle({ memberId }) {
      return Promise.resolve(encodeId(memberId, 'member'));
    },
  }),
  clientRoute({
    path: 'index/index/getAreaData',
    summary: "The organization form's area picker: provinces, cities and districts",
    uses: 'AreaDirectory.tree',
    status: 'full',
    note: 'a tree of {ID, Name, ParentId, children} (the picker reads ID, Name, children; GB/T 2260 codes as strings); from the MIT-licensed @vant/area-data; a district has no children key',
    scope: { notOrgScoped: "reference data for an organization's address, the same for everyone" },
    params: z.object({}),
    handle({ services }) {
      return Promise.resolve(services.areas.tree().map((area) => clientArea(area, '0')));
    },
  }),
];

/** An area as the picker reads it (the original's table columns). */
function clientArea(area: Area, parentId: string): Record<string, unknown> {
  return {
    ID: area.code,
    Name: area.name,
    ParentId: parentId,
    ...(area.children.length > 0
      ? { children: area.children.map((child) => clientArea(child, area.code)) }
      : {}),
  };
}
