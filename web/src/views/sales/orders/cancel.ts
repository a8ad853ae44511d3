/** 取消订单: asks for the reason (required); null when the user backs out. */
import { ElMessageBox } from 'element-plus'
import { i18n } from '@/locales'

export async function askCancelReason(n: number): Promise<string | null> {
  const t = i18n.global.t
  try {
    const { value } = await ElMessageBox.prompt(t('orders.order.cancelPrompt', { n }), t('orders.order.cancel'), {
      type: 'warning',
      inputPattern: /\S/,
      inputErrorMessage: t('orders.order.cancelReasonRequired'),
      confirmButtonText: t('orders.order.cancel'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: 'el-button--danger',
    })
    return value.trim()
  } catch {
    return null
  }
}
