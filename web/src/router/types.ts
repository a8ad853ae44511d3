import type { Component } from 'vue'
import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page and menu title */
    title?: string
    /** Element Plus icon shown in the menu */
    icon?: Component
    /** permission code(s) the user needs; checked by the guard and the menu */
    permission?: string | string[]
    /** reachable without signing in */
    public?: boolean
    /** reachable while the user must change the password */
    allowWhilePasswordChange?: boolean
    /** not listed in the sidebar */
    hideInMenu?: boolean
    /** sidebar position of a top-level entry (smaller first) */
    order?: number
  }
}

export {}
