/**
 * Sales activities (ACT-1, ACT-2, ACT-3, ACT-5, ORG-7): /api/v1/interactions/, /api/v1/contact-plans/,
 * /api/v1/schedule/, /api/v1/visits/.
 */
import { http, unwrap, QUIET, type Page } from './http'
import type { BodyOf, QueryOf, ResponseOf } from './types'

type Item<T> = T extends readonly (infer U)[] ? U : never

export type Interaction = ResponseOf<'/api/v1/interactions/{id}/', 'get'>
export type InteractionQuery = QueryOf<'/api/v1/interactions/', 'get'>
export type InteractionCreate = BodyOf<'/api/v1/interactions/', 'post'>
export type InteractionInput = BodyOf<'/api/v1/contact-plans/{id}/complete/', 'post'>
export type InteractionPatch = BodyOf<'/api/v1/interactions/{id}/', 'patch'>
export type Channel = Interaction['channel']

export type ContactPlan = ResponseOf<'/api/v1/contact-plans/{id}/', 'get'>
export type ContactPlanQuery = QueryOf<'/api/v1/contact-plans/', 'get'>
export type ContactPlanCreate = BodyOf<'/api/v1/contact-plans/', 'post'>
export type ContactPlanPatch = BodyOf<'/api/v1/contact-plans/{id}/', 'patch'>
export type PlanCounts = ResponseOf<'/api/v1/contact-plans/counts/', 'get'>

export type ScheduleItem = ResponseOf<'/api/v1/schedule/{id}/', 'get'>
export type ScheduleQuery = QueryOf<'/api/v1/schedule/', 'get'>
export type ScheduleCreate = BodyOf<'/api/v1/schedule/', 'post'>
export type SchedulePatch = BodyOf<'/api/v1/schedule/{id}/', 'patch'>
export type ScheduleComment = Item<ResponseOf<'/api/v1/schedule/{id}/comments/', 'get'>>
export type ScheduleCommentInput = BodyOf<'/api/v1/schedule/{id}/comments/', 'post'>
export type SchedulePerson = Item<ResponseOf<'/api/v1/schedule/people/', 'get'>>

export type Visit = ResponseOf<'/api/v1/visits/{id}/', 'get'>
export type VisitQuery = QueryOf<'/api/v1/visits/', 'get'>
export type VisitCreate = BodyOf<'/api/v1/visits/', 'post'>

interface CallOptions {
  /** The caller shows errors itself (field errors inline, 409 dialogs). */
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)
const as = <T>(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>) => unwrap(pending) as Promise<T>

// ACT-1 交往记录 / 跟进记录

export function listInteractions(query: InteractionQuery): Promise<Page<Interaction>> {
  return as(http.GET('/api/v1/interactions/', { params: { query } }))
}
export function createInteraction(body: InteractionCreate, o?: CallOptions): Promise<Interaction> {
  return as(http.POST('/api/v1/interactions/', { body, headers: headers(o) }))
}
export function updateInteraction(id: number, body: InteractionPatch, o?: CallOptions): Promise<Interaction> {
  return as(http.PATCH('/api/v1/interactions/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function getInteraction(id: number): Promise<Interaction> {
  return as(http.GET('/api/v1/interactions/{id}/', { params: { path: { id } } }))
}

// ACT-2 联系计划

export function listPlans(query: ContactPlanQuery): Promise<Page<ContactPlan>> {
  return as(http.GET('/api/v1/contact-plans/', { params: { query } }))
}
export function planCounts(): Promise<PlanCounts> {
  return as(http.GET('/api/v1/contact-plans/counts/'))
}
export function getPlan(id: number, o?: CallOptions): Promise<ContactPlan> {
  return as(http.GET('/api/v1/contact-plans/{id}/', { params: { path: { id } }, headers: headers(o) }))
}
export function createPlan(body: ContactPlanCreate, o?: CallOptions): Promise<ContactPlan> {
  return as(http.POST('/api/v1/contact-plans/', { body, headers: headers(o) }))
}
export function updatePlan(id: number, body: ContactPlanPatch, o?: CallOptions): Promise<ContactPlan> {
  return as(http.PATCH('/api/v1/contact-plans/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function completePlan(id: number, body: InteractionInput, o?: CallOptions): Promise<Interaction> {
  return as(http.POST('/api/v1/contact-plans/{id}/complete/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function cancelPlan(id: number): Promise<ContactPlan> {
  return as(http.POST('/api/v1/contact-plans/{id}/cancel/', { params: { path: { id } } }))
}

// ACT-3 日程安排, ORG-7 下属日程

export function listSchedule(query: ScheduleQuery): Promise<Page<ScheduleItem>> {
  return as(http.GET('/api/v1/schedule/', { params: { query } }))
}
export function getScheduleItem(id: number, o?: CallOptions): Promise<ScheduleItem> {
  return as(http.GET('/api/v1/schedule/{id}/', { params: { path: { id } }, headers: headers(o) }))
}
export function createScheduleItem(body: ScheduleCreate, o?: CallOptions): Promise<ScheduleItem> {
  return as(http.POST('/api/v1/schedule/', { body, headers: headers(o) }))
}
export function updateScheduleItem(id: number, body: SchedulePatch, o?: CallOptions): Promise<ScheduleItem> {
  return as(http.PATCH('/api/v1/schedule/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function listScheduleComments(id: number): Promise<ScheduleComment[]> {
  return as(http.GET('/api/v1/schedule/{id}/comments/', { params: { path: { id } } }))
}
export function addScheduleComment(id: number, body: ScheduleCommentInput): Promise<ScheduleComment> {
  return as(http.POST('/api/v1/schedule/{id}/comments/', { params: { path: { id } }, body }))
}
export function listSchedulePeople(): Promise<SchedulePerson[]> {
  return as(http.GET('/api/v1/schedule/people/'))
}

// ACT-5 出访记录

export function listVisits(query: VisitQuery): Promise<Page<Visit>> {
  return as(http.GET('/api/v1/visits/', { params: { query } }))
}
export function createVisit(body: VisitCreate, o?: CallOptions): Promise<Visit> {
  return as(http.POST('/api/v1/visits/', { body, headers: headers(o) }))
}
