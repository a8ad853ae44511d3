/**
 * Cached lookup lists (departments, roles, dictionary items) shared by screens and pickers.
 * Screens that change them call the matching `reload…`/`invalidate…`.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { listDepartments, listRoles, type Department, type Role } from '@/api/org'
import { listDictionary, type DictionaryItem } from '@/api/system'

export interface DepartmentNode extends Department {
  children: DepartmentNode[]
}

/** Builds the department tree from the flat list, siblings ordered by position then name. */
export function buildDepartmentTree(departments: Department[]): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>()
  for (const d of departments) nodes.set(d.id, { ...d, children: [] })
  const roots: DepartmentNode[] = []
  for (const node of nodes.values()) {
    const parent = node.parent != null ? nodes.get(node.parent) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const order = (a: DepartmentNode, b: DepartmentNode) =>
    (a.position ?? 0) - (b.position ?? 0) || a.name.localeCompare(b.name, 'zh-CN')
  const sortDeep = (list: DepartmentNode[]) => {
    list.sort(order)
    list.forEach((n) => sortDeep(n.children))
  }
  sortDeep(roots)
  return roots
}

export const useLookupsStore = defineStore('lookups', () => {
  const departments = ref<Department[]>([])
  const roles = ref<Role[]>([])
  const dictionaries = ref<Record<string, DictionaryItem[]>>({})
  const pending = new Map<string, Promise<unknown>>()

  const departmentTree = computed(() => buildDepartmentTree(departments.value))
  const departmentById = computed(() => new Map(departments.value.map((d) => [d.id, d])))

  function once<T>(key: string, load: () => Promise<T>, force: boolean): Promise<T> {
    const running = pending.get(key) as Promise<T> | undefined
    if (running && !force) return running
    const p = load().finally(() => {
      if (pending.get(key) === p) pending.delete(key)
    })
    pending.set(key, p)
    return p
  }

  const loaded = new Set<string>()

  async function loadDepartments(force = false): Promise<Department[]> {
    if (loaded.has('departments') && !force) return departments.value
    departments.value = await once('departments', listDepartments, force)
    loaded.add('departments')
    return departments.value
  }

  async function loadRoles(force = false): Promise<Role[]> {
    if (loaded.has('roles') && !force) return roles.value
    roles.value = await once('roles', listRoles, force)
    loaded.add('roles')
    return roles.value
  }

  async function loadDictionary(kind: string, force = false): Promise<DictionaryItem[]> {
    const key = `dictionary:${kind}`
    if (loaded.has(key) && !force) return dictionaries.value[kind] ?? []
    const items = await once(key, () => listDictionary(kind), force)
    dictionaries.value = { ...dictionaries.value, [kind]: [...items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)) }
    loaded.add(key)
    return dictionaries.value[kind] ?? []
  }

  /** The employee-status dictionary (ORG-5). */
  const employeeStatuses = computed(() => dictionaries.value['employee_status'] ?? [])
  const loadEmployeeStatuses = (force = false) => loadDictionary('employee_status', force)

  function dictionaryName(kind: string, code: string | null | undefined): string {
    if (!code) return ''
    return dictionaries.value[kind]?.find((i) => i.code === code)?.name ?? code
  }

  function dictionaryColor(kind: string, code: string | null | undefined): string {
    if (!code) return ''
    return dictionaries.value[kind]?.find((i) => i.code === code)?.color ?? ''
  }

  /** Ids of a department and all departments below it. */
  function descendantIds(id: number): Set<number> {
    const result = new Set<number>([id])
    let grew = true
    while (grew) {
      grew = false
      for (const d of departments.value) {
        if (d.parent != null && result.has(d.parent) && !result.has(d.id)) {
          result.add(d.id)
          grew = true
        }
      }
    }
    return result
  }

  /** Full path such as 华东区 / 销售一部. */
  function departmentPath(id: number | null | undefined): string {
    const names: string[] = []
    let current = id != null ? departmentById.value.get(id) : undefined
    const seen = new Set<number>()
    while (current && !seen.has(current.id)) {
      seen.add(current.id)
      names.unshift(current.name)
      current = current.parent != null ? departmentById.value.get(current.parent) : undefined
    }
    return names.join(' / ')
  }

  function reset(): void {
    departments.value = []
    roles.value = []
    dictionaries.value = {}
    loaded.clear()
  }

  return {
    departments,
    departmentTree,
    departmentById,
    roles,
    dictionaries,
    employeeStatuses,
    loadDepartments,
    loadRoles,
    loadDictionary,
    loadEmployeeStatuses,
    dictionaryName,
    dictionaryColor,
    descendantIds,
    departmentPath,
    reset,
  }
})
