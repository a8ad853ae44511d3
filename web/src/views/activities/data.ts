/** Shared pick lists and formatting of the activity screens (ACT-1…5). */
import type { Channel } from '@/api/activities'

export const CHANNELS: Channel[] = ['phone', 'visit', 'wechat', 'email', 'other']

export const WEIGHTS = [1, 2, 3] as const
/** Element Plus tag type per weight (重要程度). */
export const WEIGHT_TAG: Record<number, 'info' | 'warning' | 'danger'> = { 1: 'info', 2: 'warning', 3: 'danger' }

export const REMINDERS = [0, 5, 15, 30, 60, 120, 1440]

/** Local date as YYYY-MM-DD. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Local time HH:mm of an API timestamp. */
export function hhmm(value: string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate())
}

export function addDays(d: Date, n: number): Date {
  const copy = new Date(d)
  copy.setDate(copy.getDate() + n)
  return copy
}

/** Monday of the week of ``d`` (Chinese calendars start on Monday). */
export function startOfWeek(d: Date): Date {
  const day = startOfDay(d)
  return addDays(day, -((day.getDay() + 6) % 7))
}

export function money(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  return `¥${Number(value).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}
