/** The sidebar menu, generated from the layout routes and the user's permissions. */
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'

export interface MenuItem {
  /** full path, used as the el-menu index */
  path: string
  title: string
  icon?: Component
  children?: MenuItem[]
}

function join(base: string, path: string): string {
  if (path.startsWith('/')) return path
  const joined = `${base.replace(/\/$/, '')}/${path}`
  return joined === '' ? '/' : joined.replace(/\/$/, '') || '/'
}

/**
 * Entries the user may open. A group (route with children and no component) is shown when at
 * least one child is; redirects, parameterised and hidden routes are left out. Groups with the same
 * title are one menu group (modules of one area, e.g. 销售活动, each declare their own routes).
 */
export function buildMenu(
  routes: RouteRecordRaw[],
  can: (code: string | string[] | undefined) => boolean,
  base = '/',
): MenuItem[] {
  const items: MenuItem[] = []
  for (const route of routes) {
    if (route.redirect || route.meta?.hideInMenu || route.path.includes(':')) continue
    if (!route.meta?.title) continue
    if (!can(route.meta.permission)) continue
    const path = join(base, route.path)
    if (route.children?.length && !('component' in route && route.component)) {
      const children = buildMenu(route.children, can, path)
      // several modules may add entries to one group (e.g. 销售活动, 系统设置): same path or same title
      const group = items.find((item) => item.children && (item.path === path || item.title === route.meta?.title))
      if (group) group.children!.push(...children)
      else if (children.length) items.push({ path, title: route.meta.title, icon: route.meta.icon, children })
    } else {
      items.push({ path, title: route.meta.title, icon: route.meta.icon })
    }
  }
  return items
}
