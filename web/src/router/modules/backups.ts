import type { RouteRecordRaw } from 'vue-router'
import { Setting } from '@element-plus/icons-vue'

/** 系统设置 → 数据备份 (SYS-3); the menu merges this group with the other 系统设置 entries. */
const routes: RouteRecordRaw[] = [
  {
    path: 'system',
    meta: { title: 'menu.system', icon: Setting, order: 90 },
    children: [
      {
        path: 'backups',
        name: 'system-backups',
        component: () => import('@/views/system/backups/list.vue'),
        meta: { title: 'menu.systemBackups', permission: 'system.backup' },
      },
    ],
  },
]

export default routes
