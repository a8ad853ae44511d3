/**
 * Saved filters per user and list (CUS-7). The API has no place for them yet, so they live in this
 * browser's localStorage under the user's id.
 */
import { ref, watch, type Ref } from 'vue'
import { useAuthStore } from '@/stores/auth'
import type { FilterForm } from './data'

export interface SavedFilter {
  name: string
  filters: FilterForm
}

export function useSavedFilters(list: Ref<string>) {
  const auth = useAuthStore()
  const saved = ref<SavedFilter[]>([])
  const key = () => `shoal.customerFilters.${auth.me?.id ?? 0}.${list.value}`

  function read(): void {
    try {
      const raw = localStorage.getItem(key())
      saved.value = raw ? (JSON.parse(raw) as SavedFilter[]) : []
    } catch {
      saved.value = []
    }
  }

  function write(): void {
    try {
      localStorage.setItem(key(), JSON.stringify(saved.value))
    } catch {
      // storage full or disabled: the filters simply are not kept
    }
  }

  function save(name: string, filters: FilterForm): void {
    saved.value = [...saved.value.filter((s) => s.name !== name), { name, filters: JSON.parse(JSON.stringify(filters)) as FilterForm }]
    write()
  }

  function remove(name: string): void {
    saved.value = saved.value.filter((s) => s.name !== name)
    write()
  }

  watch(list, read, { immediate: true })
  return { saved, save, remove }
}
