/** Money as the API sends it ("1200.00") shown with thousands separators: ¥1,200.00 */
export function money(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const n = typeof value === 'number' ? value : Number(value)
  if (Number.isNaN(n)) return String(value)
  return `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}

/** Today as YYYY-MM-DD in the browser's time zone (dates in the API are local dates). */
export function today(offsetDays = 0): string {
  const d = new Date()
  d.setDate(d.getDate() + offsetDays)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export const CONTRACT_STATUSES = ['draft', 'in_approval', 'active', 'completed', 'terminated'] as const
export const CONTRACT_STATUS_TYPE: Record<string, '' | 'info' | 'warning' | 'success' | 'danger' | 'primary'> = {
  draft: 'info',
  in_approval: 'warning',
  active: 'primary',
  completed: 'success',
  terminated: 'danger',
}
export const PLAN_STATUSES = ['pending', 'partial', 'paid', 'written_off'] as const
export const PLAN_STATUS_TYPE: Record<string, 'info' | 'warning' | 'success' | 'danger' | 'primary'> = {
  pending: 'info',
  partial: 'warning',
  paid: 'success',
  written_off: 'danger',
}
