import type { RouteRecordRaw } from 'vue-router'
import { OfficeBuilding } from '@element-plus/icons-vue'

/** 组织架构: departments and members, employees, roles (ORG-1, ORG-2, ORG-4). */
const routes: RouteRecordRaw[] = [
  {
    path: 'org',
    meta: { title: 'menu.org', icon: OfficeBuilding, order: 80 },
    children: [
      { path: '', redirect: { name: 'org-departments' } },
      {
        path: 'departments',
        name: 'org-departments',
        component: () => import('@/views/org/department/list.vue'),
        meta: { title: 'menu.orgDepartments', permission: 'org.view_staff' },
      },
      {
        path: 'users',
        name: 'org-users',
        component: () => import('@/views/org/user/list.vue'),
        meta: { title: 'menu.orgUsers', permission: 'org.manage_users' },
      },
      {
        path: 'roles',
        name: 'org-roles',
        component: () => import('@/views/org/role/list.vue'),
        meta: { title: 'menu.orgRoles', permission: 'org.manage_roles' },
      },
    ],
  },
]

export default routes
