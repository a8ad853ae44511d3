/** Cached customer lookups: stages (CUS-8), intent levels with their tips, and the dictionary kinds customers use. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { listIntentLevels, listStages, type CustomerStage, type IntentLevelInfo } from '@/api/customers'
import { useLookupsStore } from './lookups'

/** Dictionary kinds (SYS-1) behind the customer pick lists. */
export const CUSTOMER_DICTIONARIES = {
  category: 'customer_category',
  industry: 'industry',
  level: 'customer_level',
  source: 'customer_source',
  relation: 'relation_type',
  socialRelation: 'social_relation_type',
} as const

export const useCustomerLookupsStore = defineStore('customerLookups', () => {
  const stages = ref<CustomerStage[]>([])
  const intentLevels = ref<IntentLevelInfo[]>([])
  let stagesLoading: Promise<CustomerStage[]> | null = null
  let levelsLoading: Promise<IntentLevelInfo[]> | null = null

  const activeStages = computed(() => stages.value.filter((s) => s.is_active))
  const stageById = computed(() => new Map(stages.value.map((s) => [s.id, s])))

  function loadStages(force = false): Promise<CustomerStage[]> {
    if (stages.value.length && !force) return Promise.resolve(stages.value)
    if (!stagesLoading || force) {
      stagesLoading = listStages()
        .then((list) => (stages.value = [...list].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))))
        .finally(() => (stagesLoading = null))
    }
    return stagesLoading
  }

  function loadIntentLevels(): Promise<IntentLevelInfo[]> {
    if (intentLevels.value.length) return Promise.resolve(intentLevels.value)
    levelsLoading ??= listIntentLevels()
      .then((list) => (intentLevels.value = list))
      .finally(() => (levelsLoading = null))
    return levelsLoading
  }

  function intentLevel(level: number | null | undefined): IntentLevelInfo | undefined {
    if (level === null || level === undefined) return undefined
    return intentLevels.value.find((l) => l.level === level)
  }

  /** Stages after the given one (promotion only moves forward). */
  function laterStages(stageId: number | null | undefined): CustomerStage[] {
    const current = stageId != null ? stageById.value.get(stageId) : undefined
    if (!current) return activeStages.value
    return activeStages.value.filter((s) => (s.position ?? 0) > (current.position ?? 0))
  }

  /** Loads everything a customer screen shows names from; failures are shown by the request client. */
  async function loadAll(): Promise<void> {
    const lookups = useLookupsStore()
    await Promise.all([
      loadStages(),
      loadIntentLevels(),
      ...Object.values(CUSTOMER_DICTIONARIES).map((kind) => lookups.loadDictionary(kind)),
    ]).catch(() => undefined)
  }

  return { stages, activeStages, stageById, intentLevels, loadStages, loadIntentLevels, intentLevel, laterStages, loadAll }
})
