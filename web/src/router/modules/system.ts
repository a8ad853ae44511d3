import type { RouteRecordRaw } from 'vue-router'
import { Setting } from '@element-plus/icons-vue'

/** 系统设置: data dictionary (SYS-1); parameters and pool rules come later. */
const routes: RouteRecordRaw[] = [
  {
    path: 'system',
    meta: { title: 'menu.system', icon: Setting, order: 90 },
    children: [
      { path: '', redirect: { name: 'system-dictionary' } },
      {
        path: 'dictionary',
        name: 'system-dictionary',
        component: () => import('@/views/system/dictionary/list.vue'),
        meta: { title: 'menu.systemDictionary', permission: 'system.manage_dictionary' },
      },
    ],
  },
]

export default routes
