/** Departments, users and roles: /api/v1/departments/, /api/v1/users/, /api/v1/roles/ */
import { http, unwrap, QUIET, type BatchResult, type Page } from './http'
import type {
  DataScope,
  Department,
  DepartmentCreate,
  DepartmentPatch,
  HistoryEntry,
  Permission,
  Role,
  RoleCreate,
  RolePatch,
  User,
  UserCreate,
  UserMove,
  UserPatch,
  UserQuery,
} from './types'

export type {
  DataScope,
  Department,
  DepartmentCreate,
  DepartmentPatch,
  HistoryEntry,
  Permission,
  Role,
  RoleCreate,
  RolePatch,
  User,
  UserCreate,
  UserMove,
  UserPatch,
  UserQuery,
}

interface CallOptions {
  /** The caller shows errors itself (field errors inline, 409 dialogs). */
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

// Departments (flat list; the tree is built client-side)

export function listDepartments(): Promise<Department[]> {
  return unwrap(http.GET('/api/v1/departments/'))
}

export function createDepartment(body: DepartmentCreate, o?: CallOptions): Promise<Department> {
  return unwrap(http.POST('/api/v1/departments/', { body, headers: headers(o) }))
}

export function updateDepartment(id: number, body: DepartmentPatch, o?: CallOptions): Promise<Department> {
  return unwrap(http.PATCH('/api/v1/departments/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export async function deleteDepartment(id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/departments/{id}/', { params: { path: { id } } }))
}

// Users

export async function listUsers(query: UserQuery, signal?: AbortSignal): Promise<Page<User>> {
  return unwrap(http.GET('/api/v1/users/', { params: { query }, signal }))
}

export function getUser(id: number): Promise<User> {
  return unwrap(http.GET('/api/v1/users/{id}/', { params: { path: { id } } }))
}

export function createUser(body: UserCreate, o?: CallOptions): Promise<User> {
  return unwrap(http.POST('/api/v1/users/', { body, headers: headers(o) }))
}

export function updateUser(id: number, body: UserPatch, o?: CallOptions): Promise<User> {
  return unwrap(http.PATCH('/api/v1/users/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export function deactivateUsers(ids: number[]): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/users/deactivate/', { body: { ids } }))
}

export function reactivateUsers(ids: number[]): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/users/reactivate/', { body: { ids } }))
}

export async function resetUserPassword(id: number, password: string, o?: CallOptions): Promise<void> {
  await unwrap(
    http.POST('/api/v1/users/{id}/reset_password/', { params: { path: { id } }, body: { password }, headers: headers(o) }),
  )
}


/** 员工变动, newest first (the whole list: a person moves a handful of times). */
export function listUserMoves(id: number): Promise<UserMove[]> {
  return unwrap(http.GET('/api/v1/users/{id}/moves/', { params: { path: { id } } }))
}

/** Change history, newest first. */
export function listUserHistory(id: number): Promise<HistoryEntry[]> {
  return unwrap(http.GET('/api/v1/users/{id}/history/', { params: { path: { id } } }))
}

// Roles

export function listRoles(): Promise<Role[]> {
  return unwrap(http.GET('/api/v1/roles/'))
}

export function listPermissions(): Promise<Permission[]> {
  return unwrap(http.GET('/api/v1/roles/permissions/'))
}

export function createRole(body: RoleCreate, o?: CallOptions): Promise<Role> {
  return unwrap(http.POST('/api/v1/roles/', { body, headers: headers(o) }))
}

export function updateRole(id: number, body: RolePatch, o?: CallOptions): Promise<Role> {
  return unwrap(http.PATCH('/api/v1/roles/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export async function deleteRole(id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/roles/{id}/', { params: { path: { id } } }))
}
