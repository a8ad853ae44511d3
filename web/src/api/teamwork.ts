/** Help requests (ACT-7), work logs and attendance (ORG-6): /api/v1/help-requests/, /work-logs/, /attendance/. */
import { http, unwrap, QUIET, type BatchResult, type Page } from './http'
import type { BodyOf, QueryOf, ResponseOf } from './types'

type Item<T> = T extends readonly (infer U)[] ? U : never

export type HelpRequest = Item<ResponseOf<'/api/v1/help-requests/', 'get'>['results']>
export type HelpRequestDetail = ResponseOf<'/api/v1/help-requests/{id}/', 'get'>
export type HelpRequestQuery = QueryOf<'/api/v1/help-requests/', 'get'>
export type HelpRequestInput = BodyOf<'/api/v1/help-requests/', 'post'>
export type WorkLog = Item<ResponseOf<'/api/v1/work-logs/', 'get'>['results']>
export type WorkLogDetail = ResponseOf<'/api/v1/work-logs/{id}/', 'get'>
export type WorkLogQuery = QueryOf<'/api/v1/work-logs/', 'get'>
export type WorkLogInput = BodyOf<'/api/v1/work-logs/', 'post'>
export type WorkLogPatch = BodyOf<'/api/v1/work-logs/{id}/', 'patch'>
export type AttendanceRow = Item<ResponseOf<'/api/v1/attendance/', 'get'>>
export type DayType = NonNullable<WorkLog['day_type']>
export const DAY_TYPES: DayType[] = ['work', 'leave', 'business_trip', 'rest']

interface CallOptions {
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

export function listHelpRequests(query: HelpRequestQuery): Promise<Page<HelpRequest>> {
  return unwrap(http.GET('/api/v1/help-requests/', { params: { query } }))
}

export function getHelpRequest(id: number): Promise<HelpRequestDetail> {
  return unwrap(http.GET('/api/v1/help-requests/{id}/', { params: { path: { id } } }))
}

export function createHelpRequest(body: HelpRequestInput, o?: CallOptions): Promise<HelpRequestDetail> {
  return unwrap(http.POST('/api/v1/help-requests/', { body, headers: headers(o) })) as Promise<HelpRequestDetail>
}

export function replyHelpRequest(id: number, body: string): Promise<HelpRequestDetail> {
  return unwrap(
    http.POST('/api/v1/help-requests/{id}/messages/', { params: { path: { id } }, body: { body } }),
  ) as Promise<HelpRequestDetail>
}

export function closeHelpRequests(ids: number[]): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/help-requests/close/', { body: { ids } }))
}

export function listWorkLogs(query: WorkLogQuery): Promise<Page<WorkLog>> {
  return unwrap(http.GET('/api/v1/work-logs/', { params: { query } }))
}

export function getWorkLog(id: number): Promise<WorkLogDetail> {
  return unwrap(http.GET('/api/v1/work-logs/{id}/', { params: { path: { id } } }))
}

export function createWorkLog(body: WorkLogInput, o?: CallOptions): Promise<WorkLogDetail> {
  return unwrap(http.POST('/api/v1/work-logs/', { body, headers: headers(o) })) as Promise<WorkLogDetail>
}

export function updateWorkLog(id: number, body: WorkLogPatch, o?: CallOptions): Promise<WorkLogDetail> {
  return unwrap(http.PATCH('/api/v1/work-logs/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export function commentWorkLog(id: number, body: string): Promise<WorkLogDetail> {
  return unwrap(
    http.POST('/api/v1/work-logs/{id}/comments/', { params: { path: { id } }, body: { body } }),
  ) as Promise<WorkLogDetail>
}

export function listAttendance(query: { month?: string; department?: number }): Promise<AttendanceRow[]> {
  return unwrap(http.GET('/api/v1/attendance/', { params: { query } }))
}
