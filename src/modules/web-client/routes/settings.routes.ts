import { z } from 'zod';
import { cleanText, text } from '@/common/schema-types';
import type { UpdateProfileRequest } from '@/modules/user/dto/user.schemas';
import { clientRoute } from '../client-route';
import { clientMember } from '../client-views';
import { md5Hex } from './login.routes';

const OWN = "the member's own profile";

export const SETTINGS_ROUTES = [
  clientRoute({
    path: 'project/index/editPersonal',
    summary: 'Personal settings: my name, description and avatar link',
    uses: 'UserService.updateProfile',
    status: 'full',
    note: 'an empty avatar leaves it as it is (the page sends the current one)',
    scope: { notOrgScoped: OWN },
    params: z.object({
      name: text({ max: 50, required: true }).optional(),
      description: text({ max: 500, multiline: true }).optional(),
      avatar: z
        .literal('')
        .or(cleanText(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).max(500))
        .optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const changes: UpdateProfileRequest = {};
      if (params.name !== undefined) changes.name = params.name;
      if (params.description !== undefined) changes.description = params.description || null;
      if (params.avatar) changes.avatar = params.avatar;
      const member =
        Object.keys(changes).length > 0
          ? await services.users.updateProfile(memberId, changes)
          : await services.users.me(memberId);
      return clientMember(member, timeZone);
    },
  }),
  clientRoute({
    path: 'project/index/editPassword',
    summary:
      'Change my password: md5 of the current one, of the new one and of its confirmation; my other sessions end',
    uses: 'UserService.changePassword',
    status: 'full',
    note: "a wrong current password is code 400 naming password (not 401, which would log the client out); the length rule is the client's own (it sees the plain text)",
    scope: { notOrgScoped: OWN },
    params: z
      .object({ password: md5Hex, newPassword: md5Hex, confirmPassword: md5Hex })
      .refine((form) => form.newPassword.digest === form.confirmPassword.digest, {
        path: ['confirmPassword'],
        message: 'the two new passwords differ',
      }),
    async handle({ params, caller, services }) {
      await services.users.changePassword(caller!, params.password, params.newPassword);
      return '';
    },
  }),
];
