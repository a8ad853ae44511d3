import type { RouteRecordRaw } from 'vue-router'
import { House, User } from '@element-plus/icons-vue'

/** 工作台 and 我的资料: pages every signed-in user has. */
const routes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'home',
    component: () => import('@/views/home/index.vue'),
    meta: { title: 'menu.home', icon: House, order: 0 },
  },
  {
    path: 'profile',
    name: 'profile',
    component: () => import('@/views/profile/index.vue'),
    meta: { title: 'menu.profile', icon: User, order: 100 },
  },
]

export default routes
