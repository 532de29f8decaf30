import { z } from 'zod';
import { plainProof } from '@/common/password';
import { boundedList, cleanText, text } from '@/common/schema-types';
import { accountName } from '../account-name';

const mobile = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{6,20}$/, 'must be 6 to 20 digits, optionally after +');

export const captchaRequest = z.strictObject({ mobile });

export { mobile as mobileNumber };

export const emailAddress = z.email('must be an email address').max(120);

/** A new password as typed: the rule is checked where the plain password is seen. */
export const newPassword = z.string().min(8, 'must be at least 8 characters').max(128);

export const registerRequest = z.strictObject({
  account: accountName,
  email: emailAddress,
  mobile,
  name: text({ max: 50, required: true }),
  // The md5 is what is stored and compared.
  password: newPassword.transform(plainProof),
  captcha: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
});

export const loginRequest = z.strictObject({
  account: text({ max: 120, required: true }),
  password: z.string().min(1).max(128).transform(plainProof),
});

export const refreshRequest = z.strictObject({ refreshToken: z.string().min(1).max(4096) });

export const updateProfileRequest = z
  .strictObject({
    name: text({ max: 50, required: true }).optional(),
    avatar: cleanText(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
      .max(500)
      .nullable()
      .optional(),
    description: text({ max: 500, multiline: true }).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const changePasswordRequest = z.strictObject({
  /** The current password. */
  password: z.string().min(1, 'required').max(128).transform(plainProof),
  newPassword: newPassword.transform(plainProof),
});

/** The most members one lookup may ask for. */
export const MAX_MEMBERS_PER_LOOKUP = 500;

export const getMembersRequest = z.strictObject({
  ids: boundedList(z.string().max(40), MAX_MEMBERS_PER_LOOKUP).default([]),
});

export const verifyTokenRequest = z.strictObject({
  accessToken: z.string().min(1, 'required').max(4096),
});

/** A message with no fields. */
export const emptyRequest = z.strictObject({});

export type RegisterRequest = z.infer<typeof registerRequest>;
export type LoginRequest = z.infer<typeof loginRequest>;
export type UpdateProfileRequest = z.infer<typeof updateProfileRequest>;
export type ChangePasswordRequest = z.infer<typeof changePasswordRequest>;

export const passwordResetCodeRequest = z.strictObject({ email: emailAddress });

export const resetPasswordRequest = z.strictObject({
  email: emailAddress,
  code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
  password: newPassword.transform(plainProof),
});

export const emailBindingRequest = z.strictObject({ email: emailAddress });

/** The secret of a mailed link (its `token` parameter), as it was mailed. */
export const confirmEmailBindingRequest = z.strictObject({
  code: z.string().min(1, 'required').max(200),
});

export const bindMobileRequest = z.strictObject({
  mobile,
  captcha: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
});

export type ResetPasswordRequest = z.infer<typeof resetPasswordRequest>;
export type BindMobileRequest = z.infer<typeof bindMobileRequest>;
