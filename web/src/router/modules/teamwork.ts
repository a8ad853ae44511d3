import type { RouteRecordRaw } from 'vue-router'
import { Notebook } from '@element-plus/icons-vue'

/** 团队协作: work logs and attendance statistics (ORG-6). */
const routes: RouteRecordRaw[] = [
  {
    path: 'teamwork',
    meta: { title: 'menu.teamwork', icon: Notebook, order: 70 },
    children: [
      { path: '', redirect: { name: 'work-logs' } },
      {
        path: 'logs',
        name: 'work-logs',
        component: () => import('@/views/teamwork/logs.vue'),
        meta: { title: 'menu.workLogs' },
      },
      {
        path: 'attendance',
        name: 'attendance',
        component: () => import('@/views/teamwork/attendance.vue'),
        meta: { title: 'menu.attendance' },
      },
    ],
  },
]

export default routes
