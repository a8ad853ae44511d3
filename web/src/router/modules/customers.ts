import type { RouteRecordRaw } from 'vue-router'
import { UserFilled } from '@element-plus/icons-vue'

/** 客户管理: pool, my / shared / all customers, a customer's detail (CUS-1…12). */
const routes: RouteRecordRaw[] = [
  {
    path: 'customers',
    meta: { title: 'menu.customers', icon: UserFilled, order: 10 },
    children: [
      { path: '', redirect: { name: 'customers-mine' } },
      {
        path: 'pool',
        name: 'customers-pool',
        component: () => import('@/views/customers/pool/list.vue'),
        meta: { title: 'menu.customersPool', permission: 'customer.view_pool' },
      },
      {
        path: 'mine',
        name: 'customers-mine',
        component: () => import('@/views/customers/customer/list.vue'),
        props: { view: 'mine' },
        meta: { title: 'menu.customersMine', permission: 'customer.view_pool' },
      },
      {
        path: 'shared',
        name: 'customers-shared',
        component: () => import('@/views/customers/customer/list.vue'),
        props: { view: 'shared' },
        meta: { title: 'menu.customersShared', permission: 'customer.view_pool' },
      },
      {
        path: 'all',
        name: 'customers-all',
        component: () => import('@/views/customers/customer/list.vue'),
        props: { view: 'all' },
        meta: { title: 'menu.customersAll', permission: 'customer.view_all' },
      },
      {
        path: 'import',
        name: 'customers-import',
        component: () => import('@/views/customers/import/wizard.vue'),
        meta: { title: 'menu.customersImport', permission: 'customer.import' },
      },
      {
        path: ':id(\\d+)',
        name: 'customer-detail',
        component: () => import('@/views/customers/customer/detail.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'menu.customerDetail', hideInMenu: true },
      },
    ],
  },
]

export default routes
