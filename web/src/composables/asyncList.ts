/** A list loaded from the API with loading and failed flags, for tabs and side panels. */
import { ref, type Ref } from 'vue'

export function useAsyncList<T>(fetch: () => Promise<T[]>) {
  const items = ref([]) as Ref<T[]>
  const loading = ref(false)
  const failed = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    failed.value = false
    try {
      items.value = await fetch()
    } catch {
      failed.value = true
    } finally {
      loading.value = false
    }
  }

  return { items, loading, failed, load }
}
