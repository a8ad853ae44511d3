/** SYS-3 数据备份: /api/v1/backups/ (restore is a command-line step, docs/operator.md). */
import { http, unwrap, type Page } from './http'
import type { components } from './schema'

export type Backup = components['schemas']['Backup']
export type BackupDetail = components['schemas']['BackupDetail']

export function listBackups(page = 1, pageSize = 20): Promise<Page<Backup>> {
  return unwrap(http.GET('/api/v1/backups/', { params: { query: { page, page_size: pageSize } } }))
}

export function createBackup(): Promise<Backup> {
  return unwrap(http.POST('/api/v1/backups/'))
}

export function getBackup(name: string): Promise<BackupDetail> {
  return unwrap(http.GET('/api/v1/backups/{name}/', { params: { path: { name } } }))
}

export function backupDownloadUrl(name: string): string {
  return `/api/v1/backups/${encodeURIComponent(name)}/download/`
}
