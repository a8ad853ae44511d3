/**
 * Data in and out of Shoal (issue 5): background jobs (/api/v1/jobs/), customer import and export
 * (CUS-13), attachments (CUS-14) and customer tags.
 */
import { ElMessage } from 'element-plus'
import { http, unwrap, ApiError, type Page } from './http'
import type { components } from './schema'
import { apiLanguage, i18n } from '@/locales'

type S = components['schemas']
export type Job = S['Job']
export type JobStatus = Job['status']
export type ImportDraft = S['ImportDraft']
export type ImportOptions = S['ImportOptionsRequest']
export type ImportPreview = S['ImportPreview']
export type ImportPreviewRow = S['PreviewRow']
export type Attachment = S['Attachment']
export type Tag = S['Tag']
export type DuplicatePolicy = NonNullable<ImportOptions['duplicate_policy']>

/** Which list an export covers (API.md: the list's own filters go along). */
export type ExportView = 'pool' | 'mine' | 'shared' | 'all'
export type FileFormat = 'xlsx' | 'csv'

// ---------------------------------------------------------------- jobs

export function listJobs(query: { page: number; page_size: number; ordering?: string; status?: JobStatus; kind?: string }): Promise<Page<Job>> {
  return unwrap(http.GET('/api/v1/jobs/', { params: { query } }))
}

export function getJob(id: number): Promise<Job> {
  return unwrap(http.GET('/api/v1/jobs/{id}/', { params: { path: { id } } }))
}

export function retryJob(id: number): Promise<Job> {
  return unwrap(http.POST('/api/v1/jobs/{id}/retry/', { params: { path: { id } } }))
}

export const jobResultUrl = (id: number) => `/api/v1/jobs/${id}/result/`
export const jobErrorsUrl = (id: number) => `/api/v1/jobs/${id}/errors/`

export function jobActive(job: Pick<Job, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running'
}

// ---------------------------------------------------------------- files through the session

function csrf(): string {
  const found = document.cookie.split(';').find((p) => p.trim().startsWith('csrftoken='))
  return found ? decodeURIComponent(found.trim().slice('csrftoken='.length)) : ''
}

function filenameOf(response: Response, fallback: string): string {
  const header = response.headers.get('Content-Disposition') ?? ''
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header)
  if (star?.[1]) return decodeURIComponent(star[1].replace(/"/g, ''))
  const plain = /filename="?([^";]+)"?/i.exec(header)
  return plain?.[1] ?? fallback
}

async function failure(response: Response): Promise<ApiError> {
  let body = null
  try {
    body = await response.json()
  } catch {
    body = null
  }
  const error = new ApiError(response.status, body)
  ElMessage.error({ message: error.message, grouping: true })
  return error
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * GET a file the API only hands out after its checks (a job's result, an attachment) and save it.
 * Answers the JSON instead when the server chose to answer with one (202 for a big export).
 */
export async function download(url: string, fallbackName = 'download'): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': apiLanguage() } })
  } catch {
    ElMessage.error({ message: i18n.global.t('common.errors.network'), grouping: true })
    throw new ApiError(0, null)
  }
  if (!response.ok) throw await failure(response)
  if ((response.headers.get('Content-Type') ?? '').startsWith('application/json')) return response.json()
  save(await response.blob(), filenameOf(response, fallbackName))
  return null
}

async function postFile<T>(url: string, file: File): Promise<T> {
  const form = new FormData()
  form.append('file', file)
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrf(), 'Accept-Language': apiLanguage(), Accept: 'application/json' },
    })
  } catch {
    ElMessage.error({ message: i18n.global.t('common.errors.network'), grouping: true })
    throw new ApiError(0, null)
  }
  if (!response.ok) throw await failure(response)
  return (await response.json()) as T
}

// ---------------------------------------------------------------- import (CUS-13)

export const importTemplateUrl = (format: FileFormat) => `/api/v1/customers/import/template/?format=${format}`

export function uploadImport(file: File): Promise<ImportDraft> {
  return postFile<ImportDraft>('/api/v1/customers/import/', file)
}

export function previewImport(id: number, body: ImportOptions): Promise<ImportPreview> {
  return unwrap(http.POST('/api/v1/customers/import/{id}/preview/', { params: { path: { id } }, body }))
}

export function startImport(id: number, body: ImportOptions): Promise<{ job: number }> {
  return unwrap(http.POST('/api/v1/customers/import/{id}/start/', { params: { path: { id } }, body }))
}

// ---------------------------------------------------------------- export (CUS-13)

/** The file at once (saved), or `{job}` when the list is big enough for a background job. */
export async function exportCustomers(view: ExportView, format: FileFormat, query: Record<string, unknown>): Promise<{ job: number } | null> {
  const params = new URLSearchParams({ view, format })
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || key === 'page' || key === 'page_size' || key === 'view') continue
    params.set(key, String(value))
  }
  return (await download(`/api/v1/customers/export/?${params.toString()}`, `customers.${format}`)) as { job: number } | null
}

// ---------------------------------------------------------------- attachments (CUS-14)

/** What attachments hang off: a customer (CUS-14) or a contract (SAL-6). */
export interface AttachmentTarget {
  kind: 'customers' | 'contracts'
  id: number
}

export function listAttachments(target: AttachmentTarget, query: { page: number; page_size: number }): Promise<Page<Attachment>> {
  const params = { params: { path: { id: target.id }, query } }
  return target.kind === 'contracts'
    ? unwrap(http.GET('/api/v1/contracts/{id}/attachments/', params))
    : unwrap(http.GET('/api/v1/customers/{id}/attachments/', params))
}

export function uploadAttachment(target: AttachmentTarget, file: File): Promise<Attachment> {
  return postFile<Attachment>(`/api/v1/${target.kind}/${target.id}/attachments/`, file)
}

export async function deleteAttachment(id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/attachments/{id}/', { params: { path: { id } } }))
}

export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}/download/`

// ---------------------------------------------------------------- tags

export function listTags(): Promise<Tag[]> {
  return unwrap(http.GET('/api/v1/customer-tags/')) as Promise<Tag[]>
}

export function createTag(name: string, color = ''): Promise<Tag> {
  return unwrap(http.POST('/api/v1/customer-tags/', { body: { name, color } })) as Promise<Tag>
}

export function setCustomerTags(customerId: number, tags: number[]): Promise<Tag[]> {
  return unwrap(http.PUT('/api/v1/customers/{id}/tags/', { params: { path: { id: customerId } }, body: { tags } })) as Promise<Tag[]>
}
