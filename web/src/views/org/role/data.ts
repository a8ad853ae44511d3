/** 角色权限: data scopes, the role form schema, permission grouping. */
import type { FormRules } from 'element-plus'
import type { DataScope, Permission, Role } from '@/api/org'
import { i18n } from '@/locales'

const t = (key: string) => i18n.global.t(key)

export const DATA_SCOPES: DataScope[] = ['self', 'subordinates', 'department', 'department_tree', 'all']

export interface RoleForm {
  code: string
  name: string
  data_scope: DataScope
  permissions: string[]
}

export const ROLE_FORM_FIELDS = ['code', 'name', 'data_scope', 'permissions']

export function emptyRoleForm(): RoleForm {
  return { code: '', name: '', data_scope: 'self', permissions: [] }
}

export function roleToForm(r: Role): RoleForm {
  return { code: r.code, name: r.name, data_scope: r.data_scope ?? 'self', permissions: [...(r.permissions ?? [])] }
}

export function roleFormRules(): FormRules<RoleForm> {
  return {
    code: [
      { required: true, message: () => t('org.role.codeRequired'), trigger: 'blur' },
      { pattern: /^[a-z][a-z0-9_]*$/, message: () => t('org.role.codeInvalid'), trigger: 'blur' },
    ],
    name: [{ required: true, message: () => t('org.role.nameRequired'), trigger: 'blur' }],
  }
}

export interface PermissionGroup {
  group: string
  codes: string[]
}

/** Groups permission codes by the prefix before the dot (org.*, system.*, customer.*…). */
export function groupPermissions(permissions: Permission[]): PermissionGroup[] {
  const groups = new Map<string, string[]>()
  for (const p of permissions) {
    const group = p.group || p.code.split('.')[0] || p.code
    if (!groups.has(group)) groups.set(group, [])
    groups.get(group)!.push(p.code)
  }
  return [...groups.entries()].map(([group, codes]) => ({ group, codes }))
}
