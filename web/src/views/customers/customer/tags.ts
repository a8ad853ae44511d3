/** The company's customer tags, loaded once and shared by the tag editor and the list filter. */
import { ref } from 'vue'
import { createTag, listTags, type Tag } from '@/api/io'

const tags = ref<Tag[]>([])
let loading: Promise<void> | null = null

export function useTags() {
  function load(force = false): Promise<void> {
    if (!loading || force) {
      loading = listTags()
        .then((list) => void (tags.value = list))
        .catch(() => {
          loading = null
        })
    }
    return loading
  }
  async function create(name: string): Promise<Tag> {
    const tag = await createTag(name)
    tags.value = [...tags.value, tag].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
    return tag
  }
  return { tags, load, create }
}
