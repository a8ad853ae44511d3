/** 部门与成员: member columns and the department form schema. */
import type { FormRules } from 'element-plus'
import type { User } from '@/api/org'
import { formatDateTime, type TableColumn } from '@/components/table'
import { i18n } from '@/locales'

export const memberColumns: TableColumn<User>[] = [
  { prop: 'username', label: 'org.user.username', sortable: true, minWidth: 110 },
  { prop: 'name', label: 'org.user.name', sortable: true, minWidth: 90 },
  { prop: 'mobile', label: 'org.user.mobile', minWidth: 120 },
  { prop: 'department_name', label: 'org.user.department', sortable: true, minWidth: 120 },
  { prop: 'role_name', label: 'org.user.role', sortable: true, minWidth: 100 },
  { prop: 'superior_name', label: 'org.user.superior', minWidth: 90 },
  { prop: 'status', label: 'org.user.status', slot: true, minWidth: 90 },
  { prop: 'is_active', label: 'org.user.isActive', slot: true, width: 76, align: 'center' },
  {
    prop: 'last_login',
    label: 'org.user.lastLogin',
    sortable: true,
    width: 150,
    formatter: (u) => formatDateTime(u.last_login),
  },
]

export interface MemberFilters {
  department?: number
  include_descendants?: boolean
}

/** What the department dialog edits: everything when creating, one aspect otherwise. */
export type DepartmentFormMode = 'create' | 'rename' | 'manager' | 'move'

export interface DepartmentForm {
  name: string
  parent: number | null
  manager: number | null
}

export function departmentFormRules(): FormRules<DepartmentForm> {
  return {
    name: [{ required: true, message: () => i18n.global.t('org.department.nameRequired'), trigger: 'blur' }],
  }
}

export const DEPARTMENT_FORM_FIELDS = ['name', 'parent', 'manager']

export const FORM_TITLES: Record<DepartmentFormMode, string> = {
  create: 'org.department.create',
  rename: 'org.department.rename',
  manager: 'org.department.setManager',
  move: 'org.department.move',
}
