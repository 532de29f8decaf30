import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { text } from '@/common/schema-types';
import { pageFields } from '@/modules/project/dto/project.schemas';
import { ACCOUNT_STATUSES } from '@/modules/user/entities/membership.entity';

export const listAccountsQuery = z.strictObject({
  /** Both when absent. */
  status: z.enum(ACCOUNT_STATUSES).optional(),
  departmentId: publicId('department').optional(),
  ...pageFields,
});

export const updateAccountRequest = z
  .strictObject({
    /** null takes the account out of its department. */
    departmentId: publicId('department').nullable().optional(),
    position: text({ max: 50, required: true }).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export type ListAccountsQuery = z.infer<typeof listAccountsQuery>;
export type UpdateAccountRequest = z.infer<typeof updateAccountRequest>;
