/** The notification centre: /api/v1/notifications/ */
import { http, unwrap, QUIET, type BatchResult, type Page } from './http'
import type { QueryOf, ResponseOf } from './types'

export type Notification = ResponseOf<'/api/v1/notifications/', 'get'>['results'][number]
export type NotificationQuery = QueryOf<'/api/v1/notifications/', 'get'>

export function listNotifications(query: NotificationQuery, quiet = false): Promise<Page<Notification>> {
  return unwrap(http.GET('/api/v1/notifications/', { params: { query }, headers: quiet ? QUIET : undefined }))
}

/** Polled by the bell: quiet, so a dropped connection does not pop an error every minute. */
export async function unreadCount(): Promise<number> {
  const body = await unwrap(http.GET('/api/v1/notifications/unread-count/', { headers: QUIET }))
  return body.count
}

export function markRead(ids: number[]): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/notifications/read/', { body: { ids } }))
}

export async function markAllRead(): Promise<number> {
  const body = await unwrap(http.POST('/api/v1/notifications/read-all/'))
  return body.count
}
