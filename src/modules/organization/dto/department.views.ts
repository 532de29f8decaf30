import { encodeId } from '@/common/public-id';
import { ancestorsOf, buildTree, depthOf, type TreeNode } from '../department-tree';
import type { Department } from '../entities';

export interface DepartmentView {
  id: string;
  organizationId: string;
  parentId: string | null;
  name: string;
  sort: number;
  /** From the top of the tree down to the parent. */
  ancestorIds: string[];
  /** 1 at the top of the tree. */
  depth: number;
  createdAt: string;
}

export interface DepartmentNodeView extends DepartmentView {
  children: DepartmentNodeView[];
}

export function departmentView(department: Department): DepartmentView {
  return {
    id: encodeId(department.id, 'department'),
    organizationId: encodeId(department.organizationId, 'organization'),
    parentId: department.parentId ? encodeId(department.parentId, 'department') : null,
    name: department.name,
    sort: department.sort,
    ancestorIds: ancestorsOf(department.path).map((id) => encodeId(id, 'department')),
    depth: depthOf(department.path),
    createdAt: new Date(department.createdAt).toISOString(),
  };
}

function nodeView({ item, children }: TreeNode<Department>): DepartmentNodeView {
  return { ...departmentView(item), children: children.map(nodeView) };
}

/** The organization's departments as a forest, siblings in the order given. */
export function departmentTreeView(departments: Department[]): DepartmentNodeView[] {
  return buildTree(departments).map(nodeView);
}
