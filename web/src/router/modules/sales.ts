import type { RouteRecordRaw } from 'vue-router'
import { Sell } from '@element-plus/icons-vue'

/** 销售管理: products, quotes, sales orders (SAL-3/4/5). */
const routes: RouteRecordRaw[] = [
  {
    path: 'sales',
    meta: { title: 'menu.sales', icon: Sell, order: 30 },
    children: [
      { path: '', redirect: { name: 'sales-orders' } },
      {
        path: 'products',
        name: 'sales-products',
        component: () => import('@/views/sales/products/list.vue'),
        meta: { title: 'menu.salesProducts', permission: 'sales.view' },
      },
      {
        path: 'quotes',
        name: 'sales-quotes',
        component: () => import('@/views/sales/quotes/list.vue'),
        meta: { title: 'menu.salesQuotes', permission: 'sales.view' },
      },
      {
        path: 'quotes/:id(\\d+)',
        name: 'sales-quote-detail',
        component: () => import('@/views/sales/quotes/detail.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'menu.salesQuoteDetail', permission: 'sales.view', hideInMenu: true },
      },
      {
        path: 'orders',
        name: 'sales-orders',
        component: () => import('@/views/sales/orders/list.vue'),
        meta: { title: 'menu.salesOrders', permission: 'sales.view' },
      },
      {
        path: 'orders/:id(\\d+)',
        name: 'sales-order-detail',
        component: () => import('@/views/sales/orders/detail.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'menu.salesOrderDetail', permission: 'sales.view', hideInMenu: true },
      },
    ],
  },
]

export default routes
