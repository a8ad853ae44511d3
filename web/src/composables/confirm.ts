/** Confirmation dialogs used by every screen (Element Plus MessageBox, texts from i18n). */
import { ElMessageBox } from 'element-plus'
import { i18n } from '@/locales'

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})

/** Asks to confirm; true when confirmed. */
export async function confirmAction(
  message: string,
  options: { danger?: boolean; confirmText?: string; title?: string } = {},
): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, options.title ?? t('common.confirmTitle'), {
      type: options.danger ? 'warning' : 'info',
      confirmButtonText: options.confirmText ?? t('common.ok'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: options.danger ? 'el-button--danger' : undefined,
    })
    return true
  } catch {
    return false
  }
}

/**
 * A 409 `stale_version`: someone else saved the record first. The user chooses to reload it
 * (discarding their edit) or to overwrite it with their edit.
 */
export async function resolveStaleVersion(message?: string): Promise<'reload' | 'overwrite' | 'cancel'> {
  try {
    await ElMessageBox.confirm(message || t('common.stale.message'), t('common.stale.title'), {
      type: 'warning',
      distinguishCancelAndClose: true,
      confirmButtonText: t('common.overwrite'),
      cancelButtonText: t('common.reload'),
      confirmButtonClass: 'el-button--danger',
    })
    return 'overwrite'
  } catch (action) {
    return action === 'cancel' ? 'reload' : 'cancel'
  }
}
