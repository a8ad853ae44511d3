/**
 * Call page (ACT-4), phone leases (电话申领), invalid numbers (ACT-6), talk scripts:
 * /api/v1/call-annotations/, /call-customers/, /phone-leases/, /invalid-phones/, /talk-scripts/.
 */
import { http, unwrap, QUIET, type BatchResult, type Page } from './http'
import type { BodyOf, QueryOf, ResponseOf } from './types'

type Item<T> = T extends readonly (infer U)[] ? U : never

export type CallAnnotation = ResponseOf<'/api/v1/call-annotations/{id}/', 'get'>
export type CallAnnotationInput = BodyOf<'/api/v1/call-annotations/', 'post'>
export type CallAnnotationQuery = QueryOf<'/api/v1/call-annotations/', 'get'>
export type CallCustomer = ResponseOf<'/api/v1/call-customers/{id}/', 'get'>
export type TalkScript = Item<ResponseOf<'/api/v1/talk-scripts/', 'get'>>
export type TalkScriptInput = BodyOf<'/api/v1/talk-scripts/', 'post'>
export type PhoneLease = Item<ResponseOf<'/api/v1/phone-leases/', 'get'>['results']>
export type PhoneLeaseQuery = QueryOf<'/api/v1/phone-leases/', 'get'>
export type LeaseQuota = ResponseOf<'/api/v1/phone-leases/quota/', 'get'>
export type InvalidPhone = Item<ResponseOf<'/api/v1/invalid-phones/', 'get'>['results']>
export type InvalidPhoneQuery = QueryOf<'/api/v1/invalid-phones/', 'get'>
export type InvalidPhoneInput = BodyOf<'/api/v1/invalid-phones/', 'post'>
export type InvalidStats = Item<ResponseOf<'/api/v1/invalid-phones/stats/', 'get'>>

export type NextStep = NonNullable<CallAnnotation['next_step']>
export type InvalidReason = InvalidPhone['reason']
export const NEXT_STEPS: NextStep[] = ['none', 'call', 'visit', 'send_info', 'sign']
export const INVALID_REASONS: InvalidReason[] = ['empty', 'wrong_person', 'stopped', 'other']
export const NEEDS_KIND = 'promotion_need'
export const AWARENESS_KIND = 'network_awareness'

interface CallOptions {
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

// Call annotations

export function listAnnotations(query: CallAnnotationQuery): Promise<Page<CallAnnotation>> {
  return unwrap(http.GET('/api/v1/call-annotations/', { params: { query } }))
}

export function createAnnotation(body: CallAnnotationInput, o?: CallOptions): Promise<CallAnnotation> {
  return unwrap(http.POST('/api/v1/call-annotations/', { body, headers: headers(o) })) as Promise<CallAnnotation>
}

export function getCallCustomer(id: number, o?: CallOptions): Promise<CallCustomer> {
  return unwrap(http.GET('/api/v1/call-customers/{id}/', { params: { path: { id } }, headers: headers(o) }))
}

// Talk scripts

export function listTalkScripts(query: { kind?: TalkScript['kind']; category?: string; active?: boolean } = {}): Promise<
  TalkScript[]
> {
  return unwrap(http.GET('/api/v1/talk-scripts/', { params: { query } })) as Promise<TalkScript[]>
}

export function createTalkScript(body: TalkScriptInput, o?: CallOptions): Promise<TalkScript> {
  return unwrap(http.POST('/api/v1/talk-scripts/', { body, headers: headers(o) })) as Promise<TalkScript>
}

export function updateTalkScript(id: number, body: Partial<TalkScriptInput>, o?: CallOptions): Promise<TalkScript> {
  return unwrap(
    http.PATCH('/api/v1/talk-scripts/{id}/', {
      params: { path: { id } },
      body: body as TalkScriptInput,
      headers: headers(o),
    }),
  ) as Promise<TalkScript>
}

export async function deleteTalkScript(id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/talk-scripts/{id}/', { params: { path: { id } } }))
}

// Phone leases (电话申领)

export function listLeases(query: PhoneLeaseQuery): Promise<Page<PhoneLease>> {
  return unwrap(http.GET('/api/v1/phone-leases/', { params: { query } }))
}

export function requestLeases(count: number): Promise<PhoneLease[]> {
  return unwrap(http.POST('/api/v1/phone-leases/request/', { body: { count } })) as Promise<PhoneLease[]>
}

export function releaseLeases(ids: number[]): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/phone-leases/release/', { body: { ids } }))
}

export function getLeaseQuota(): Promise<LeaseQuota> {
  return unwrap(http.GET('/api/v1/phone-leases/quota/'))
}

// Invalid numbers (ACT-6)

export function listInvalidPhones(query: InvalidPhoneQuery): Promise<Page<InvalidPhone>> {
  return unwrap(http.GET('/api/v1/invalid-phones/', { params: { query } }))
}

export function markInvalidPhone(body: InvalidPhoneInput, o?: CallOptions): Promise<InvalidPhone> {
  return unwrap(http.POST('/api/v1/invalid-phones/', { body, headers: headers(o) })) as Promise<InvalidPhone>
}

export function resolveInvalidPhones(ids: number[], resolution: string): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/invalid-phones/resolve/', { body: { ids, resolution } }))
}

export function invalidPhoneStats(month?: string): Promise<InvalidStats[]> {
  return unwrap(http.GET('/api/v1/invalid-phones/stats/', { params: { query: { month } } }))
}
