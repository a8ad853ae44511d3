/**
 * Opportunities, pipeline, conflicts (SAL-1, SAL-2), contracts, receivables, payments and collection
 * tasks (SAL-6, SAL-7): one function per endpoint on the shared client.
 */
import { http, unwrap, QUIET, type BatchResult, type Page } from './http'
import type { BodyOf, QueryOf, ResponseOf } from './types'

type Item<T> = T extends readonly (infer U)[] ? U : never

export type PipelineStage = Item<ResponseOf<'/api/v1/opportunity-stages/', 'get'>>
export type Opportunity = Item<ResponseOf<'/api/v1/opportunities/', 'get'>['results']>
export type OpportunityDetail = ResponseOf<'/api/v1/opportunities/{id}/', 'get'>
export type OpportunityQuery = QueryOf<'/api/v1/opportunities/', 'get'>
export type OpportunityCreate = BodyOf<'/api/v1/opportunities/', 'post'>
export type OpportunityPatch = BodyOf<'/api/v1/opportunities/{id}/', 'patch'>
export type OpportunityEvent = Item<ResponseOf<'/api/v1/opportunities/{id}/history/', 'get'>>
export type Conflict = ResponseOf<'/api/v1/conflicts/{id}/', 'get'>
export type ConflictQuery = QueryOf<'/api/v1/conflicts/', 'get'>
export type Contract = Item<ResponseOf<'/api/v1/contracts/', 'get'>['results']>
export type ContractDetail = ResponseOf<'/api/v1/contracts/{id}/', 'get'>
export type ContractQuery = QueryOf<'/api/v1/contracts/', 'get'>
export type ContractCreate = BodyOf<'/api/v1/contracts/', 'post'>
export type ContractPatch = BodyOf<'/api/v1/contracts/{id}/', 'patch'>
export type ContractEvent = Item<ResponseOf<'/api/v1/contracts/{id}/history/', 'get'>>
export type ContractStatus = NonNullable<Contract['status']>
export type PaymentPlan = ResponseOf<'/api/v1/receivables/{id}/', 'get'>
export type PlanQuery = QueryOf<'/api/v1/receivables/', 'get'>
export type PlanCreate = BodyOf<'/api/v1/receivables/', 'post'>
export type Payment = ResponseOf<'/api/v1/payments/{id}/', 'get'>
export type PaymentQuery = QueryOf<'/api/v1/payments/', 'get'>
export type PaymentCreate = BodyOf<'/api/v1/payments/', 'post'>
export type CollectionTask = Item<ResponseOf<'/api/v1/collection-tasks/', 'get'>['results']>
export type TaskQuery = QueryOf<'/api/v1/collection-tasks/', 'get'>

interface CallOptions {
  /** The caller shows errors itself (field errors inline, 409 dialogs). */
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

// Pipeline and opportunities (SAL-1)

export function listPipeline(): Promise<PipelineStage[]> {
  return unwrap(http.GET('/api/v1/opportunity-stages/'))
}

export function listOpportunities(query: OpportunityQuery): Promise<Page<Opportunity>> {
  return unwrap(http.GET('/api/v1/opportunities/', { params: { query } }))
}

export function getOpportunity(id: number, o?: CallOptions): Promise<OpportunityDetail> {
  return unwrap(http.GET('/api/v1/opportunities/{id}/', { params: { path: { id } }, headers: headers(o) }))
}

export function createOpportunity(body: OpportunityCreate, o?: CallOptions): Promise<OpportunityDetail> {
  return unwrap(http.POST('/api/v1/opportunities/', { body, headers: headers(o) }))
}

export function updateOpportunity(id: number, body: OpportunityPatch, o?: CallOptions): Promise<OpportunityDetail> {
  return unwrap(http.PATCH('/api/v1/opportunities/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export function opportunityHistory(id: number): Promise<OpportunityEvent[]> {
  return unwrap(http.GET('/api/v1/opportunities/{id}/history/', { params: { path: { id } } }))
}

// Conflicts (SAL-2)

export function listConflicts(query: ConflictQuery): Promise<Page<Conflict>> {
  return unwrap(http.GET('/api/v1/conflicts/', { params: { query } }))
}

export function resolveConflict(id: number, body: { winner: number; decision: string }, o?: CallOptions): Promise<Conflict> {
  return unwrap(http.POST('/api/v1/conflicts/{id}/resolve/', { params: { path: { id } }, body, headers: headers(o) }))
}

// Contracts (SAL-6)

export function listContracts(query: ContractQuery): Promise<Page<Contract>> {
  return unwrap(http.GET('/api/v1/contracts/', { params: { query } }))
}

export function getContract(id: number, o?: CallOptions): Promise<ContractDetail> {
  return unwrap(http.GET('/api/v1/contracts/{id}/', { params: { path: { id } }, headers: headers(o) }))
}

export function createContract(body: ContractCreate, o?: CallOptions): Promise<ContractDetail> {
  return unwrap(http.POST('/api/v1/contracts/', { body, headers: headers(o) }))
}

export function updateContract(id: number, body: ContractPatch, o?: CallOptions): Promise<ContractDetail> {
  return unwrap(http.PATCH('/api/v1/contracts/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export function transitionContract(id: number, status: ContractStatus, reason = ''): Promise<ContractDetail> {
  return unwrap(http.POST('/api/v1/contracts/{id}/transition/', { params: { path: { id } }, body: { status, reason } }))
}

export function contractHistory(id: number): Promise<ContractEvent[]> {
  return unwrap(http.GET('/api/v1/contracts/{id}/history/', { params: { path: { id } } }))
}

// Receivables, payments, collection (SAL-7)

export function listPlans(query: PlanQuery): Promise<Page<PaymentPlan>> {
  return unwrap(http.GET('/api/v1/receivables/', { params: { query } }))
}

export function createPlan(body: PlanCreate, o?: CallOptions): Promise<PaymentPlan> {
  return unwrap(http.POST('/api/v1/receivables/', { body, headers: headers(o) }))
}

export function writeOffPlans(ids: number[], reason: string): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/receivables/write-off/', { body: { ids, reason } }))
}

export function listPayments(query: PaymentQuery): Promise<Page<Payment>> {
  return unwrap(http.GET('/api/v1/payments/', { params: { query } }))
}

export function recordPayment(body: PaymentCreate, o?: CallOptions): Promise<Payment> {
  return unwrap(http.POST('/api/v1/payments/', { body, headers: headers(o) }))
}

export function listCollectionTasks(query: TaskQuery): Promise<Page<CollectionTask>> {
  return unwrap(http.GET('/api/v1/collection-tasks/', { params: { query } }))
}

export function finishCollectionTasks(ids: number[], note = ''): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/collection-tasks/done/', { body: { ids, note } }))
}

// Pipeline administration (SAL-1)

export type PipelineStageCreate = BodyOf<'/api/v1/opportunity-stages/', 'post'>
export type PipelineStagePatch = BodyOf<'/api/v1/opportunity-stages/{id}/', 'patch'>

export function createStage(body: PipelineStageCreate, o?: CallOptions): Promise<PipelineStage> {
  return unwrap(http.POST('/api/v1/opportunity-stages/', { body, headers: headers(o) }))
}

export function updateStage(id: number, body: PipelineStagePatch, o?: CallOptions): Promise<PipelineStage> {
  return unwrap(http.PATCH('/api/v1/opportunity-stages/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}
