import type { RouteRecordRaw } from 'vue-router'
import { Files } from '@element-plus/icons-vue'

/** 我的任务: the user's background jobs (imports, big exports) with their progress and files. */
const routes: RouteRecordRaw[] = [
  {
    path: 'jobs',
    name: 'jobs',
    component: () => import('@/views/jobs/list.vue'),
    meta: { title: 'menu.jobs', icon: Files, order: 90 },
  },
]

export default routes
