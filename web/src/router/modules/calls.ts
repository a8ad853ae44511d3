import type { RouteRecordRaw } from 'vue-router'
import { Phone } from '@element-plus/icons-vue'

/** 销售活动 (this module's part): the call page and phone leases (ACT-4), invalid numbers (ACT-6),
 * help requests (ACT-7), talk scripts. */
const routes: RouteRecordRaw[] = [
  {
    path: 'calls',
    meta: { title: 'menu.activities', icon: Phone, order: 21 },
    children: [
      { path: '', redirect: { name: 'calls-list' } },
      {
        path: 'list',
        name: 'calls-list',
        component: () => import('@/views/calls/list.vue'),
        meta: { title: 'menu.calls', permission: 'activity.call' },
      },
      {
        path: 'customer/:id(\\d+)',
        name: 'call-page',
        component: () => import('@/views/calls/call.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'menu.callPage', permission: 'activity.call', hideInMenu: true },
      },
      {
        path: 'invalid-phones',
        name: 'calls-invalid-phones',
        component: () => import('@/views/calls/invalid.vue'),
        meta: { title: 'menu.invalidPhones', permission: 'activity.call' },
      },
      {
        path: 'help',
        name: 'help-requests',
        component: () => import('@/views/teamwork/help.vue'),
        meta: { title: 'menu.helpRequests' },
      },
      {
        path: 'scripts',
        name: 'calls-scripts',
        component: () => import('@/views/calls/scripts.vue'),
        meta: { title: 'menu.talkScripts', permission: 'calls.manage_talk_scripts' },
      },
    ],
  },
]

export default routes
