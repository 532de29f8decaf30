import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { text } from '@/common/schema-types';
import { pageFields } from '@/modules/project/dto/project.schemas';

/** Departments one organization may have: its whole tree stays one bounded answer. */
export const MAX_DEPARTMENTS = 1000;

const departmentName = text({ max: 50, required: true });

export const listDepartmentsQuery = z.strictObject({
  /** Whose sub-departments; the top of the tree when absent. */
  parentDepartmentId: publicId('department').optional(),
  ...pageFields,
});

export const createDepartmentRequest = z.strictObject({
  name: departmentName,
  /** At the top of the tree when absent. */
  parentDepartmentId: publicId('department').optional(),
});

export const updateDepartmentRequest = z
  .strictObject({
    name: departmentName.optional(),
    /** Moves the department with its subtree; null moves it to the top of the tree. */
    parentDepartmentId: publicId('department').nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const departmentMemberRequest = z.strictObject({ accountId: publicId('account') });

export type ListDepartmentsQuery = z.infer<typeof listDepartmentsQuery>;
export type CreateDepartmentRequest = z.infer<typeof createDepartmentRequest>;
export type UpdateDepartmentRequest = z.infer<typeof updateDepartmentRequest>;
export type DepartmentMemberRequest = z.infer<typeof departmentMemberRequest>;
