/** The signed-in user: who, which permission codes, and the language they chose. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import type { Me, MePatch } from '@/api/auth'
import { ApiError } from '@/api/http'
import { apiLanguage, localeFromApi, setLocale, type AppLocale } from '@/locales'

export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null)
  /** True once the start-up "who am I" check has answered (signed in or not). */
  const checked = ref(false)

  const signedIn = computed(() => me.value !== null)
  const permissions = computed(() => new Set(me.value?.permissions ?? []))
  const mustChangePassword = computed(() => me.value?.must_change_password ?? false)

  function can(code: string | string[] | undefined | null): boolean {
    if (!code) return true
    const codes = Array.isArray(code) ? code : [code]
    return codes.every((c) => permissions.value.has(c))
  }

  async function applyUser(user: Me): Promise<void> {
    me.value = user
    await setLocale(localeFromApi(user.language))
  }

  /** Asks the server who is signed in; null when nobody is. */
  async function check(): Promise<Me | null> {
    try {
      const session = await authApi.fetchSession()
      if (session.authenticated && session.user) await applyUser(session.user)
      else me.value = null
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      me.value = null
    } finally {
      checked.value = true
    }
    return me.value
  }

  async function login(username: string, password: string): Promise<Me> {
    const user = await authApi.login(username, password)
    // Django rotates the csrftoken cookie on sign-in, in this same response.
    await applyUser(user)
    checked.value = true
    return user
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  /** Forgets the user locally (after sign-out or when the session has ended). */
  function clear(): void {
    me.value = null
    checked.value = true
  }

  async function update(patch: MePatch, options: { quiet?: boolean } = {}): Promise<Me> {
    const user = await authApi.updateMe(patch, options)
    me.value = user
    return user
  }

  /** Switches the UI language; signed-in users keep it on their account. */
  async function changeLanguage(locale: AppLocale): Promise<void> {
    await setLocale(locale)
    if (me.value && me.value.language !== apiLanguage(locale)) {
      await update({ language: apiLanguage(locale) })
    }
  }

  function passwordChanged(): void {
    if (me.value) me.value = { ...me.value, must_change_password: false }
  }

  return {
    me,
    checked,
    signedIn,
    permissions,
    mustChangePassword,
    can,
    check,
    login,
    logout,
    clear,
    update,
    changeLanguage,
    passwordChanged,
  }
})
