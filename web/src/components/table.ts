/** Column definitions for PagedTable (kept in each view's data.ts). */
export interface TableColumn<T = Record<string, unknown>> {
  /** field shown; also the sort-change prop */
  prop: string
  /** i18n key of the header */
  label: string
  width?: number | string
  minWidth?: number | string
  /** sortable on the server; the ordering key is `sortField` or `prop` */
  sortable?: boolean
  sortField?: string
  align?: 'left' | 'center' | 'right'
  fixed?: 'left' | 'right'
  /** text for the cell; otherwise the raw value, or the `cell-<prop>` slot if `slot` is set */
  formatter?: (row: T) => string
  slot?: boolean
  /** ellipsis with a tooltip (default true) */
  tooltip?: boolean
}

/** Query every paged list understands (API.md); screens add their own filters. */
export interface PageQuery {
  page: number
  page_size: number
  ordering?: string
  q?: string
}

export const PAGE_SIZES = [20, 50, 100, 200]

/** Local date-time for a timestamp from the API: 2026-01-31 14:05 */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** What PagedTable exposes to its parent through a template ref. */
export interface PagedTableApi {
  /** reload the current page */
  reload: () => Promise<void>
  /** back to page 1 and reload */
  refresh: () => Promise<void>
  clearSelection: () => void
  /** the query of the page shown (filters, ordering, quick search) */
  currentQuery: () => PageQuery
}
