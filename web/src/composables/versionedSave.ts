/**
 * The save flow every edit dialog shares: client validation, one request at a time, server field
 * errors under their fields, and a 409 `stale_version` resolved by the user (重新加载 / 覆盖).
 */
import { ref, type Ref } from 'vue'
import { ElMessage, type FormInstance } from 'element-plus'
import type { ApiError } from '@/api/http'
import { i18n } from '@/locales'
import { resolveStaleVersion } from './confirm'

interface ServerErrors {
  clear(): void
  apply(e: unknown): ApiError | null
}

export interface VersionedSaveOptions<Saved, Current extends { version?: number }> {
  formRef: Ref<FormInstance | undefined>
  server: ServerErrors
  /** true when the dialog creates a record (no version, no stale edit possible) */
  creating: () => boolean
  /** the version the edit started from; sent back with the update */
  version: Ref<number | undefined>
  /** runs before saving (e.g. a confirmation); false cancels */
  beforeSave?: () => Promise<boolean>
  /** the create or update request */
  submit: () => Promise<Saved>
  /** the record as saved now, when the 409 did not carry it */
  fetchCurrent: () => Promise<Current | undefined>
  /** shows the current record after the user chose 重新加载 */
  reload: (current: Current) => void
  onSaved: (saved: Saved) => void
}

export function useVersionedSave<Saved, Current extends { version?: number }>(
  o: VersionedSaveOptions<Saved, Current>,
) {
  const saving = ref(false)

  async function persist(): Promise<void> {
    try {
      const saved = await o.submit()
      ElMessage.success(i18n.global.t(o.creating() ? 'common.created' : 'common.saved'))
      o.onSaved(saved)
    } catch (e) {
      const err = o.server.apply(e)
      if (err?.code !== 'stale_version' || o.creating()) return
      o.server.clear()
      const choice = await resolveStaleVersion()
      if (choice === 'cancel') return
      const current = (err.current as Current | undefined) ?? (await o.fetchCurrent())
      if (!current) return
      if (choice === 'overwrite') {
        o.version.value = current.version
        await persist()
      } else {
        o.reload(current)
      }
    }
  }

  async function save(): Promise<void> {
    if (!o.formRef.value || saving.value) return
    o.server.clear()
    if (!(await o.formRef.value.validate().catch(() => false))) return
    if (o.beforeSave && !(await o.beforeSave())) return
    saving.value = true
    try {
      await persist()
    } finally {
      saving.value = false
    }
  }

  return { saving, save }
}
