/** Runs a batch verb and shows its result: a toast when all succeeded, the dialog otherwise. */
import { ref, shallowRef } from 'vue'
import { ElMessage } from 'element-plus'
import type { BatchResult } from '@/api/http'
import { i18n } from '@/locales'

export function useSalesBatch(afterwards: () => void) {
  const open = ref(false)
  const result = shallowRef<BatchResult | null>(null)
  const labels = new Map<number, string>()

  async function run(rows: { id: number; number?: string; code?: string }[], call: (ids: number[]) => Promise<BatchResult>): Promise<BatchResult | null> {
    for (const row of rows) labels.set(row.id, row.number ?? row.code ?? String(row.id))
    let answer: BatchResult
    try {
      answer = await call(rows.map((r) => r.id))
    } catch {
      return null // shown by the request client
    }
    result.value = answer
    if (answer.failed.length === 0) ElMessage.success(i18n.global.t('orders.doc.batchDone', { n: answer.succeeded.length }))
    else open.value = true
    afterwards()
    return answer
  }

  const labelOf = (id: number) => labels.get(id) ?? String(id)
  return { open, result, run, labelOf }
}
