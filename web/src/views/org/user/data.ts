/** 员工管理: columns, filters and the form schema. */
import type { FormRules } from 'element-plus'
import type { User, UserCreate } from '@/api/org'
import { formatDateTime, type TableColumn } from '@/components/table'
import { i18n } from '@/locales'

const t = (key: string) => i18n.global.t(key)

export const userColumns: TableColumn<User>[] = [
  { prop: 'username', label: 'org.user.username', sortable: true, minWidth: 120 },
  { prop: 'name', label: 'org.user.name', sortable: true, minWidth: 100, slot: true },
  { prop: 'mobile', label: 'org.user.mobile', minWidth: 120 },
  { prop: 'department_name', label: 'org.user.department', sortable: true, minWidth: 130 },
  { prop: 'role_name', label: 'org.user.role', sortable: true, minWidth: 110 },
  { prop: 'superior_name', label: 'org.user.superior', minWidth: 100 },
  { prop: 'status', label: 'org.user.status', slot: true, minWidth: 100 },
  { prop: 'is_active', label: 'org.user.isActive', slot: true, width: 80, align: 'center' },
  {
    prop: 'last_login',
    label: 'org.user.lastLogin',
    sortable: true,
    width: 150,
    formatter: (u) => formatDateTime(u.last_login),
  },
]

/** Filters of the list, sent as query parameters (API.md). */
export interface UserFilters {
  department?: number
  include_descendants?: boolean
  role?: string
  is_active?: boolean
}

export interface UserForm {
  username: string
  name: string
  password: string
  department: number | null
  role: number | null
  superior: number | null
  mobile: string
  email: string
}

export const FORM_FIELDS: (keyof UserForm)[] = [
  'username',
  'name',
  'password',
  'department',
  'role',
  'superior',
  'mobile',
  'email',
]

export function emptyUserForm(): UserForm {
  return { username: '', name: '', password: '', department: null, role: null, superior: null, mobile: '', email: '' }
}

export function userToForm(u: User): UserForm {
  return {
    username: u.username,
    name: u.name,
    password: '',
    department: u.department,
    role: u.role,
    superior: u.superior ?? null,
    mobile: u.mobile ?? '',
    email: u.email ?? '',
  }
}

export function userFormRules(creating: boolean): FormRules<UserForm> {
  return {
    username: [{ required: true, message: () => t('org.user.usernameRequired'), trigger: 'blur' }],
    name: [{ required: true, message: () => t('org.user.nameRequired'), trigger: 'blur' }],
    password: creating ? [{ required: true, message: () => t('org.user.passwordRequired'), trigger: 'blur' }] : [],
    department: [{ required: true, message: () => t('org.user.departmentRequired'), trigger: 'change' }],
    role: [{ required: true, message: () => t('org.user.roleRequired'), trigger: 'change' }],
    email: [{ type: 'email', message: () => t('org.user.emailInvalid'), trigger: 'blur' }],
  }
}

export function formToCreate(f: UserForm): UserCreate {
  return {
    username: f.username.trim(),
    name: f.name.trim(),
    password: f.password,
    department: f.department,
    role: f.role as number,
    superior: f.superior,
    mobile: f.mobile.trim(),
    email: f.email.trim(),
  }
}

/** i18n keys of the fields that appear in a user's change history. */
export const HISTORY_FIELD_LABELS: Record<string, string> = {
  username: 'org.user.username',
  name: 'org.user.name',
  mobile: 'org.user.mobile',
  email: 'org.user.email',
  department: 'org.user.department',
  role: 'org.user.role',
  superior: 'org.user.superior',
  status: 'org.user.status',
  is_active: 'org.user.isActive',
  must_change_password: 'org.user.mustChangePassword',
  language: 'language.label',
}
