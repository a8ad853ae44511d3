/**
 * vue-i18n set-up. zh-CN ships in the first chunk; zh-TW and en load when chosen.
 * Element Plus follows the same locale (see App.vue).
 */
import { createI18n } from 'vue-i18n'
import { ref } from 'vue'
import type { Language as ElLanguage } from 'element-plus/es/locale'
import zhCN from './zh-CN.json'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'

export type AppLocale = 'zh-CN' | 'zh-TW' | 'en'
export type ApiLanguage = 'zh-hans' | 'zh-hant' | 'en'

export const LOCALES: AppLocale[] = ['zh-CN', 'zh-TW', 'en']
const STORAGE_KEY = 'shoal.locale'

type Messages = typeof zhCN

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN } as Record<AppLocale, Messages>,
  missingWarn: false,
  fallbackWarn: false,
})

/** Element Plus's own locale, for ElConfigProvider. */
export const elementLocale = ref<ElLanguage>(elZhCn)

const TO_API: Record<AppLocale, ApiLanguage> = { 'zh-CN': 'zh-hans', 'zh-TW': 'zh-hant', en: 'en' }
const FROM_API: Record<ApiLanguage, AppLocale> = { 'zh-hans': 'zh-CN', 'zh-hant': 'zh-TW', en: 'en' }

export function currentLocale(): AppLocale {
  return i18n.global.locale.value
}

export function apiLanguage(locale: AppLocale = currentLocale()): ApiLanguage {
  return TO_API[locale]
}

export function localeFromApi(language: string | null | undefined): AppLocale {
  return FROM_API[language as ApiLanguage] ?? 'zh-CN'
}

async function loadMessages(locale: AppLocale): Promise<void> {
  if (locale === 'zh-CN' || i18n.global.availableLocales.includes(locale)) return
  const messages = locale === 'zh-TW' ? await import('./zh-TW.json') : await import('./en.json')
  i18n.global.setLocaleMessage(locale, messages.default as Messages)
}

async function loadElementLocale(locale: AppLocale): Promise<ElLanguage> {
  if (locale === 'zh-TW') return (await import('element-plus/es/locale/lang/zh-tw')).default
  if (locale === 'en') return (await import('element-plus/es/locale/lang/en')).default
  return elZhCn
}

/** Applies a locale to the app (messages, Element Plus, <html lang>) and remembers it on this browser. */
export async function setLocale(locale: AppLocale): Promise<void> {
  if (!LOCALES.includes(locale)) locale = 'zh-CN'
  const [, el] = await Promise.all([loadMessages(locale), loadElementLocale(locale)])
  i18n.global.locale.value = locale
  elementLocale.value = el
  document.documentElement.lang = locale
  document.title = i18n.global.t('app.title')
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // storage may be unavailable (private mode); the choice then lasts for this page only
  }
}

/** The locale chosen on this browser before sign-in, else zh-CN. */
export function storedLocale(): AppLocale {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    if (value && (LOCALES as string[]).includes(value)) return value as AppLocale
  } catch {
    // ignore
  }
  return 'zh-CN'
}
