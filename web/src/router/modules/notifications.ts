import type { RouteRecordRaw } from 'vue-router'
import { Bell } from '@element-plus/icons-vue'

/** 消息通知: the full list behind the bell in the top bar. */
const routes: RouteRecordRaw[] = [
  {
    path: 'notifications',
    name: 'notifications',
    component: () => import('@/views/notifications/index.vue'),
    meta: { title: 'menu.notifications', icon: Bell, order: 95, hideInMenu: true },
  },
]

export default routes
