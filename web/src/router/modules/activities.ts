import type { RouteRecordRaw } from 'vue-router'
import { Calendar } from '@element-plus/icons-vue'

/** 销售活动: 跟进记录 · 我的计划 · 日程安排 · 下属日程 · 出访记录 (ACT-1, ACT-2, ACT-3, ACT-5, ORG-7). */
const routes: RouteRecordRaw[] = [
  {
    path: 'activities',
    meta: { title: 'menu.activities', icon: Calendar, order: 20 },
    children: [
      { path: '', redirect: { name: 'activities-plans' } },
      {
        path: 'interactions',
        name: 'activities-interactions',
        component: () => import('@/views/activities/interactions/list.vue'),
        meta: { title: 'menu.activitiesInteractions', permission: 'activity.interaction' },
      },
      {
        path: 'plans',
        name: 'activities-plans',
        component: () => import('@/views/activities/plans/list.vue'),
        meta: { title: 'menu.activitiesPlans', permission: 'activity.plan' },
      },
      {
        path: 'schedule',
        name: 'activities-schedule',
        component: () => import('@/views/activities/schedule/index.vue'),
        props: { view: 'mine' },
        meta: { title: 'menu.activitiesSchedule', permission: 'activity.schedule' },
      },
      {
        path: 'team-schedule',
        name: 'activities-team-schedule',
        component: () => import('@/views/activities/schedule/index.vue'),
        props: { view: 'subordinates' },
        // Managers only: reps hold activity.* too but have nobody below them (org.view_staff marks managers).
        meta: { title: 'menu.activitiesTeamSchedule', permission: ['activity.review_schedule', 'org.view_staff'] },
      },
      {
        path: 'visits',
        name: 'activities-visits',
        component: () => import('@/views/activities/visits/list.vue'),
        meta: { title: 'menu.activitiesVisits', permission: 'activity.visit' },
      },
    ],
  },
]

export default routes
