/** One line for a history row's `changes` ({field: [old, new]} or {field: value}), field names in words. */
import { i18n } from '@/locales'

export function describeChanges(changes: unknown): string {
  const { t, te } = i18n.global
  const label = (k: string) => (te(`deals.fields.${k}`) ? t(`deals.fields.${k}`) : k)
  const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? v.join('、') : String(v))
  return Object.entries((changes ?? {}) as Record<string, unknown>)
    .map(([k, v]) => (Array.isArray(v) && v.length === 2 && k !== 'competitors' ? `${label(k)}：${text(v[0])} → ${text(v[1])}` : `${label(k)}：${text(v)}`))
    .join('；')
}
