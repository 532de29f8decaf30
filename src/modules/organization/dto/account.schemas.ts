import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { text } from '@/common/schema-types';
import { queryText } from '@/common/valid-query';
import { mobileNumber } from '@/modules/user/dto/user.schemas';
import { pageFields } from '@/modules/project/dto/project.schemas';
import { ACCOUNT_STATUSES } from '@/modules/user/entities/membership.entity';

export const listAccountsQuery = z.strictObject({
  /** Both when absent. */
  status: z.enum(ACCOUNT_STATUSES).optional(),
  departmentId: publicId('department').optional(),
  /** Only the accounts in no department; not together with departmentId. */
  noDepartment: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .default(false),
  /** Part of the member's name, account name or email (case as the database compares). */
  keyword: queryText({ max: 50 }).optional(),
  /** The one member's account (none when they have no account here). */
  memberId: publicId('member').optional(),
  ...pageFields,
});

export const updateAccountRequest = z
  .strictObject({
    /** null takes the account out of its department. */
    departmentId: publicId('department').nullable().optional(),
    position: text({ max: 50, required: true }).nullable().optional(),
    /** The account's contact card in the organization; null clears a field. */
    name: text({ max: 50, required: true }).nullable().optional(),
    /** Unique among the organization's accounts, letter case aside (409 otherwise). */
    email: z.email('must be an email address').max(120).nullable().optional(),
    mobile: mobileNumber
      .meta({ examples: ['+8613800138000'] })
      .nullable()
      .optional(),
    description: text({ max: 500, multiline: true }).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export type ListAccountsQuery = Omit<z.infer<typeof listAccountsQuery>, 'noDepartment'> & {
  noDepartment?: boolean;
};
export type UpdateAccountRequest = z.infer<typeof updateAccountRequest>;
