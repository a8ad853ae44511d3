/** Moving an opportunity to another stage (kanban drag or table action), with the version check:
 * a stale move says "someone changed this" and the caller reloads; won/lost asks for the reason. */
import { ElMessageBox, ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { updateOpportunity, type Opportunity, type PipelineStage } from '@/api/deals'
import { i18n } from '@/locales'

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})

/** true when moved; false when cancelled or refused (the caller reloads either way on false). */
export async function moveOpportunity(row: Opportunity, stage: PipelineStage): Promise<boolean> {
  if (row.stage === stage.id) return false
  let closeReason: string | undefined
  if (stage.kind !== 'open') {
    try {
      const answer = await ElMessageBox.prompt(
        t(stage.kind === 'won' ? 'deals.board.wonReason' : 'deals.board.lostReason'),
        t('deals.board.closeTitle', { stage: stage.name }),
        {
          inputValidator: (v: string) => (v && v.trim() ? true : t('deals.board.reasonRequired')),
          confirmButtonText: t('common.ok'),
          cancelButtonText: t('common.cancel'),
        },
      )
      closeReason = (answer as { value: string }).value.trim()
    } catch {
      return false
    }
  }
  try {
    await updateOpportunity(
      row.id,
      { version: row.version, stage: stage.id, ...(closeReason ? { close_reason: closeReason } : {}) },
      { quiet: true },
    )
    ElMessage.success(t('deals.board.moved', { title: row.title, stage: stage.name }))
    return true
  } catch (e) {
    if (e instanceof ApiError && e.code === 'stale_version') {
      await ElMessageBox.alert(t('deals.board.stale'), t('common.stale.title'), { type: 'warning' }).catch(() => undefined)
    } else if (e instanceof ApiError) {
      ElMessage.error(e.message)
    }
    return false
  }
}
