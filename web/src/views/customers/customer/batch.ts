/** Batch actions of the customer lists: confirm, run, show "8 领用成功，2 已被他人领用", refresh. */
import { ref, shallowRef } from 'vue'
import { ElMessage } from 'element-plus'
import { runBatch, type BatchVerb } from '@/api/customers'
import type { BatchResult } from '@/api/http'
import { confirmAction } from '@/composables/confirm'
import type { PageQuery } from '@/components/table'
import { i18n } from '@/locales'
import { batchSummary, type CustomerAction } from './data'

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})

/** Verbs that ask first, and whether the confirmation is styled as dangerous. */
const CONFIRM: Partial<Record<BatchVerb, { danger: boolean }>> = {
  return: { danger: false },
  recall: { danger: true },
  delete: { danger: true },
}

/**
 * `toastWhenClean`: a result without failures is a short message instead of the dialog (actions on
 * one customer, from its detail page).
 */
export function useCustomerBatch(afterwards: () => void, options: { toastWhenClean?: boolean } = {}) {
  const result = ref<BatchResult | null>(null)
  const summary = ref('')
  const open = ref(false)
  const busy = ref(false)
  const names = new Map<number, string>()

  const labelOf = (id: number) => names.get(id) ?? `#${id}`

  function remember(rows: { id: number; name?: string | null }[]): void {
    rows.forEach((r) => names.set(r.id, r.name || `#${r.id}`))
  }

  /** Shows a result that a dialog (assign, share, promote) obtained. */
  function show(action: CustomerAction, value: BatchResult): void {
    result.value = value
    summary.value = batchSummary(action, value)
    if (options.toastWhenClean && !value.failed.length) ElMessage.success(summary.value)
    else open.value = true
    afterwards()
  }

  async function run(verb: BatchVerb, rows: { id: number; name?: string | null }[], clear?: () => void): Promise<void> {
    if (!rows.length || busy.value) return
    const confirm = CONFIRM[verb]
    if (confirm && !(await confirmAction(t(`customers.confirm.${verb}`, { n: rows.length }), { danger: confirm.danger }))) return
    remember(rows)
    busy.value = true
    try {
      const value = await runBatch(verb, rows.map((r) => r.id))
      clear?.()
      show(verb as CustomerAction, value)
    } catch {
      // shown by the request client
    } finally {
      busy.value = false
    }
  }

  return { result, summary, open, busy, labelOf, remember, show, run }
}

/** How many rows "select all matching" takes at most (the batch verbs accept 1000 ids). */
export const SELECT_ALL_LIMIT = 1000

/**
 * 全选 across pages: after the page is selected, every row matching the filters can be taken
 * (fetched page by page, up to SELECT_ALL_LIMIT) and the batch actions apply to all of them.
 */
export function useSelectAllMatching<R extends { id: number; name?: string | null }>(
  fetchPage: (query: PageQuery & { page: number; page_size: number }) => Promise<{ count: number; results: R[] }>,
) {
  const all = shallowRef<R[] | null>(null)
  const loading = ref(false)

  async function take(query: PageQuery): Promise<void> {
    loading.value = true
    try {
      const rows: R[] = []
      for (let page = 1; rows.length < SELECT_ALL_LIMIT; page++) {
        const result = await fetchPage({ ...query, page, page_size: 200 })
        rows.push(...result.results)
        if (result.results.length < 200 || rows.length >= result.count) break
      }
      all.value = rows.slice(0, SELECT_ALL_LIMIT)
    } catch {
      // shown by the request client
    } finally {
      loading.value = false
    }
  }

  /** The rows an action applies to: every matching row once taken, otherwise the selection. */
  function targets<T>(selection: T[]): T[] {
    return (all.value as T[] | null) ?? selection
  }

  function reset(): void {
    all.value = null
  }

  return { all, loading, take, targets, reset }
}
