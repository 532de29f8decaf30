import { z } from 'zod';
import { cleanText, text } from '@/common/schema-types';
import type { UpdateProfileRequest } from '@/modules/user/dto/user.schemas';
import { ClientAvatar } from '../client-avatars';
import { clientRoute } from '../client-route';
import { clientMember } from '../client-views';
import { md5Hex } from './login.routes';

const OWN = "the member's own profile";

/** What an avatar link of msproject's own reads as: nothing to change. */
const OWN_LINK = Symbol('own avatar link');

/**
 * msproject's link to an avatar image, as the client got it (behind `webClient.linkBase`,
 * relative or absolute): its path ends in the avatar route and it carries a signature.
 */
const ownAvatarLink = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value, 'http://origin.invalid');
      return (
        /\/api\/v1\/members\/[^/]+\/avatar$/.test(url.pathname) && url.searchParams.has('signature')
      );
    } catch {
      return false;
    }
  })
  .transform((): typeof OWN_LINK => OWN_LINK);

export const SETTINGS_ROUTES = [
  clientRoute({
    path: 'project/index/editPersonal',
    summary: 'Personal settings: my name, description and avatar link',
    uses: 'UserService.updateProfile',
    status: 'full',
    note: "an empty avatar, or msproject's own avatar link (the page sends the current one back), leaves it as it is; another http(s) link becomes the avatar",
    scope: { notOrgScoped: OWN },
    params: z.object({
      name: text({ max: 50, required: true }).optional(),
      description: text({ max: 500, multiline: true }).optional(),
      avatar: z
        .literal('')
        .or(ownAvatarLink)
        .or(cleanText(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).max(500))
        .optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const changes: UpdateProfileRequest = {};
      if (params.name !== undefined) changes.name = params.name;
      if (params.description !== undefined) changes.description = params.description || null;
      if (params.avatar && params.avatar !== OWN_LINK) changes.avatar = params.avatar;
      const member =
        Object.keys(changes).length > 0
          ? await services.users.updateProfile(memberId, changes)
          : await services.users.me(memberId);
      return clientMember(member, timeZone);
    },
  }),
  clientRoute({
    path: 'project/index/uploadAvatar',
    summary:
      'Upload my avatar (multipart/form-data, part avatar): PNG, JPEG, GIF or WebP, at most avatars.maxBytes; answers its link (url)',
    uses: 'AvatarService.setAvatarFromForm',
    status: 'full',
    note: 'the image is told by its leading bytes, not its declared type; the fields before it (code) are passed over: it is always my own',
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    multipart: z.object({ code: z.string().optional() }),
    async handle({ memberId, services, request }) {
      const avatar = await services.avatars.setAvatarFromForm(memberId, request, 'avatar');
      return { url: new ClientAvatar(avatar.memberId, null, Date.now().toString(36)) };
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
