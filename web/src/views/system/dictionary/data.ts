/** 数据字典: the item form schema. */
import type { FormRules } from 'element-plus'
import type { DictionaryItem } from '@/api/system'
import { i18n } from '@/locales'

const t = (key: string) => i18n.global.t(key)

export interface DictionaryForm {
  code: string
  name: string
  position: number
  is_active: boolean
  color: string
}

export const DICTIONARY_FORM_FIELDS = ['code', 'name', 'position', 'is_active', 'color', 'kind']

export function emptyDictionaryForm(position = 0): DictionaryForm {
  return { code: '', name: '', position, is_active: true, color: '' }
}

export function itemToForm(i: DictionaryItem): DictionaryForm {
  return { code: i.code, name: i.name, position: i.position ?? 0, is_active: i.is_active ?? true, color: i.color ?? '' }
}

export function dictionaryFormRules(): FormRules<DictionaryForm> {
  return {
    code: [{ required: true, message: () => t('dictionary.codeRequired'), trigger: 'blur' }],
    name: [{ required: true, message: () => t('dictionary.nameRequired'), trigger: 'blur' }],
  }
}

/** Preset colours offered by the colour picker. */
export const COLOR_PRESETS = ['#409eff', '#67c23a', '#e6a23c', '#f56c6c', '#909399', '#9b59b6', '#1abc9c', '#34495e']
