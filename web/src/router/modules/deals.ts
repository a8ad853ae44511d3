import type { RouteRecordRaw } from 'vue-router'
import { Money } from '@element-plus/icons-vue'

/** 商机与合同: opportunities (board and table), conflicts, contracts, receivables and collection (SAL-1/2/6/7). */
const routes: RouteRecordRaw[] = [
  {
    path: 'deals',
    meta: { title: 'menu.deals', icon: Money, order: 31 },
    children: [
      { path: '', redirect: { name: 'deals-opportunities' } },
      {
        path: 'opportunities',
        name: 'deals-opportunities',
        component: () => import('@/views/deals/opportunities/board.vue'),
        meta: { title: 'menu.opportunities', permission: 'sales.view' },
      },
      {
        path: 'opportunities/table',
        name: 'deals-opportunities-table',
        component: () => import('@/views/deals/opportunities/list.vue'),
        meta: { title: 'menu.opportunitiesTable', permission: 'sales.view', hideInMenu: true },
      },
      {
        path: 'conflicts',
        name: 'deals-conflicts',
        component: () => import('@/views/deals/conflicts/list.vue'),
        meta: { title: 'menu.conflicts', permission: 'sales.view' },
      },
      {
        path: 'contracts',
        name: 'deals-contracts',
        component: () => import('@/views/deals/contracts/list.vue'),
        meta: { title: 'menu.contracts', permission: 'sales.view' },
      },
      {
        path: 'contracts/:id(\\d+)',
        name: 'deals-contract-detail',
        component: () => import('@/views/deals/contracts/detail.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'menu.contractDetail', permission: 'sales.view', hideInMenu: true },
      },
      {
        path: 'receivables',
        name: 'deals-receivables',
        component: () => import('@/views/deals/receivables/list.vue'),
        meta: { title: 'menu.receivables', permission: 'sales.view' },
      },
      {
        path: 'pipeline',
        name: 'deals-pipeline',
        component: () => import('@/views/deals/pipeline/list.vue'),
        meta: { title: 'menu.pipeline', permission: 'sales.manage_pipeline' },
      },
    ],
  },
]

export default routes
