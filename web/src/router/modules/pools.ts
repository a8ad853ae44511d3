import type { RouteRecordRaw } from 'vue-router'
import { Histogram } from '@element-plus/icons-vue'

/** 客户池管理 / 公海规则 (CUS-1, SYS-2): pools, members, rules with preview, pool health. */
const routes: RouteRecordRaw[] = [
  {
    path: 'pools',
    meta: { title: 'menu.pools', icon: Histogram, order: 15 },
    children: [
      { path: '', redirect: { name: 'pools-manage' } },
      {
        path: 'manage',
        name: 'pools-manage',
        component: () => import('@/views/pools/manage.vue'),
        meta: { title: 'menu.poolsManage', permission: 'pool.manage' },
      },
      {
        path: 'health',
        name: 'pools-health',
        component: () => import('@/views/pools/health.vue'),
        meta: { title: 'menu.poolsHealth', permission: 'customer.pool_health' },
      },
    ],
  },
]

export default routes
