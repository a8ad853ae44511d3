/** Polls jobs that are still queued or running until they finish (the progress bars move). */
import { onBeforeUnmount, ref } from 'vue'
import { getJob, jobActive, type Job } from '@/api/io'

export function useJobPolling(onFinished?: (job: Job) => void, intervalMs = 1500) {
  const jobs = ref<Map<number, Job>>(new Map())
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  async function tick(): Promise<void> {
    timer = null
    const active = [...jobs.value.values()].filter(jobActive)
    for (const job of active) {
      try {
        const fresh = await getJob(job.id)
        jobs.value.set(fresh.id, fresh)
        if (!jobActive(fresh)) onFinished?.(fresh)
      } catch {
        jobs.value.delete(job.id)
      }
    }
    jobs.value = new Map(jobs.value)
    schedule()
  }

  function schedule(): void {
    if (stopped || timer) return
    if ([...jobs.value.values()].some(jobActive)) timer = setTimeout(() => void tick(), intervalMs)
  }

  function track(list: Job[]): void {
    for (const job of list) jobs.value.set(job.id, job)
    jobs.value = new Map(jobs.value)
    schedule()
  }

  onBeforeUnmount(() => {
    stopped = true
    if (timer) clearTimeout(timer)
  })

  return { jobs, track }
}
