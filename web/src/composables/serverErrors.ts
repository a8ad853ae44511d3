/** Server validation errors (API.md `fields`) shown under the matching form fields. */
import { reactive, ref } from 'vue'
import { ApiError } from '@/api/http'
import { i18n } from '@/locales'

export function useServerErrors(knownFields: () => string[]) {
  /** per field, for `<el-form-item :error="errors.field">` */
  const errors = reactive<Record<string, string>>({})
  /** what has no field of its own (non_field_errors, conflicts, other codes) */
  const general = ref('')

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key]
    general.value = ''
  }

  /** Puts an error from a save where it belongs; returns the ApiError (or null for other errors). */
  function apply(e: unknown): ApiError | null {
    clear()
    if (!(e instanceof ApiError)) {
      general.value = i18n.global.t('common.errors.network')
      return null
    }
    const known = knownFields()
    const other: string[] = []
    for (const [field, messages] of Object.entries(e.fields)) {
      if (known.includes(field)) errors[field] = messages.join(' ')
      else other.push(...messages)
    }
    if (other.length) general.value = other.join(' ')
    else if (!Object.keys(e.fields).length) general.value = e.message
    return e
  }

  return { errors, general, clear, apply }
}
