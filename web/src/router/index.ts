/**
 * Routes and guards. Each domain adds one file under ./modules/ exporting the routes it puts
 * inside the main layout; the sidebar menu is generated from them (see layouts/menu.ts).
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import './types'
import { useAuthStore } from '@/stores/auth'
import { i18n } from '@/locales'

const modules = import.meta.glob<{ default: RouteRecordRaw[] }>('./modules/*.ts', { eager: true })

/** Routes shown inside the main layout, in menu order. */
export const layoutRoutes: RouteRecordRaw[] = Object.values(modules)
  .flatMap((m) => m.default)
  .sort((a, b) => (a.meta?.order ?? 50) - (b.meta?.order ?? 50))

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/login.vue'),
    meta: { title: 'menu.login', public: true },
  },
  {
    path: '/change-password',
    name: 'change-password',
    component: () => import('@/views/auth/change-password.vue'),
    meta: { title: 'menu.changePassword', allowWhilePasswordChange: true },
  },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: [
      ...layoutRoutes,
      {
        path: '403',
        name: 'forbidden',
        component: () => import('@/views/error/403.vue'),
        meta: { title: 'menu.forbidden', hideInMenu: true },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/error/404.vue'),
        meta: { title: 'menu.notFound', hideInMenu: true },
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  if (!auth.checked) await auth.check()

  if (to.meta.public) {
    // A signed-in user has no business on the sign-in page.
    if (to.name === 'login' && auth.signedIn) return { name: 'home' }
    return true
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (auth.mustChangePassword && !to.meta.allowWhilePasswordChange) {
    return { name: 'change-password' }
  }
  if (!auth.can(to.meta.permission)) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
})

// After a new deployment the old page may ask for chunks that no longer exist: load the target
// page afresh, once.
const RELOAD_KEY = 'shoal.chunkReload'
router.onError((error: unknown, to) => {
  const message = error instanceof Error ? error.message : String(error)
  if (!/dynamically imported module|Importing a module script failed|error loading dynamically/i.test(message)) return
  if (sessionStorage.getItem(RELOAD_KEY) === to.fullPath) return
  sessionStorage.setItem(RELOAD_KEY, to.fullPath)
  window.location.assign(to.fullPath)
})

router.afterEach((to) => {
  sessionStorage.removeItem(RELOAD_KEY)
  const app = i18n.global.t('app.title')
  document.title = to.meta.title ? `${i18n.global.t(to.meta.title)} - ${app}` : app
})

export default router
