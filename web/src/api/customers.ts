/**
 * Customers (CUS-1…12): /api/v1/pool/, /api/v1/customers/ and its batch verbs, tabs and lookups,
 * /api/v1/customer-stages/.
 */
import { http, unwrap, QUIET, type BatchResult, type Page } from './http'
import type {
  AssignBody,
  Contact,
  ContactInput,
  Customer,
  CustomerCreate,
  CustomerDetail,
  CustomerEvent,
  CustomerPatch,
  CustomerQuery,
  CustomerRelation,
  CustomerRelationInput,
  CustomerShare,
  CustomerStage,
  DuplicateCandidate,
  IntentLevelInfo,
  MergeBody,
  PoolCustomer,
  PoolQuery,
  PromoteBody,
  ShareBody,
  UnshareBody,
} from './types'

export type {
  AssignBody,
  Contact,
  ContactInput,
  Customer,
  CustomerCreate,
  CustomerDetail,
  CustomerEvent,
  CustomerPatch,
  CustomerQuery,
  CustomerRelation,
  CustomerRelationInput,
  CustomerShare,
  CustomerStage,
  DuplicateCandidate,
  IntentLevelInfo,
  MergeBody,
  PoolCustomer,
  PoolQuery,
  PromoteBody,
  ShareBody,
  UnshareBody,
}

/** Which list of customers (API.md): mine, shared with me, everything I may see. */
export type CustomerView = 'mine' | 'shared' | 'all'

interface CallOptions {
  /** The caller shows errors itself (field errors inline, 409 dialogs). */
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

/** These GETs answer a plain array (the schema may describe a page; see types.ts). */
function unwrapList<T>(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T[]> {
  return unwrap(pending) as Promise<T[]>
}
/** A 201 whose schema the generator could not tie to the element type. */
function unwrapAs<T>(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  return unwrap(pending) as Promise<T>
}

// Lists

export function listPool(query: PoolQuery): Promise<Page<PoolCustomer>> {
  return unwrap(http.GET('/api/v1/pool/', { params: { query } }))
}

export function listCustomers(query: CustomerQuery): Promise<Page<Customer>> {
  return unwrap(http.GET('/api/v1/customers/', { params: { query } }))
}

// One customer

export function getCustomer(id: number, o?: CallOptions): Promise<CustomerDetail> {
  return unwrap(http.GET('/api/v1/customers/{id}/', { params: { path: { id } }, headers: headers(o) }))
}

export function getPoolCustomer(id: number, o?: CallOptions): Promise<PoolCustomer> {
  return unwrap(http.GET('/api/v1/pool/{id}/', { params: { path: { id } }, headers: headers(o) }))
}

export function createCustomer(body: CustomerCreate, o?: CallOptions): Promise<CustomerDetail> {
  return unwrap(http.POST('/api/v1/customers/', { body, headers: headers(o) }))
}

export function updateCustomer(id: number, body: CustomerPatch, o?: CallOptions): Promise<CustomerDetail> {
  return unwrap(http.PATCH('/api/v1/customers/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

// Batch verbs: {ids} → {succeeded, failed}

export type BatchVerb = 'claim' | 'return' | 'recall' | 'delete' | 'restore'

export function runBatch(verb: BatchVerb, ids: number[], reason = ''): Promise<BatchResult> {
  const body = { ids, reason }
  switch (verb) {
    case 'claim':
      return unwrap(http.POST('/api/v1/customers/claim/', { body }))
    case 'return':
      return unwrap(http.POST('/api/v1/customers/return/', { body }))
    case 'recall':
      return unwrap(http.POST('/api/v1/customers/recall/', { body }))
    case 'delete':
      return unwrap(http.POST('/api/v1/customers/delete/', { body }))
    case 'restore':
      return unwrap(http.POST('/api/v1/customers/restore/', { body }))
  }
}

export function assignCustomers(body: AssignBody): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/customers/assign/', { body }))
}

export function shareCustomers(body: ShareBody, o?: CallOptions): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/customers/share/', { body, headers: headers(o) }))
}

export function unshareCustomers(body: UnshareBody): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/customers/unshare/', { body }))
}

export function promoteCustomers(body: PromoteBody): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/customers/promote/', { body }))
}

// Lookups

export function findDuplicates(
  query: { name?: string; phone?: string[]; exclude?: number },
  signal?: AbortSignal,
): Promise<DuplicateCandidate[]> {
  return unwrapList(http.GET('/api/v1/customers/duplicates/', { params: { query }, headers: QUIET, signal }))
}

export function listIntentLevels(): Promise<IntentLevelInfo[]> {
  return unwrapList(http.GET('/api/v1/customers/intent-levels/'))
}

export function listStages(): Promise<CustomerStage[]> {
  return unwrap(http.GET('/api/v1/customer-stages/'))
}

// Tabs of one customer (CUS-12)

export function listContacts(id: number): Promise<Contact[]> {
  return unwrapList(http.GET('/api/v1/customers/{id}/contacts/', { params: { path: { id } } }))
}

export function createContact(id: number, body: ContactInput, o?: CallOptions): Promise<Contact> {
  return unwrapAs(http.POST('/api/v1/customers/{id}/contacts/', { params: { path: { id } }, body, headers: headers(o) }))
}

export function updateContact(customerId: number, id: number, body: Partial<ContactInput>, o?: CallOptions): Promise<Contact> {
  return unwrapAs(
    http.PATCH('/api/v1/customers/{customer_pk}/contacts/{id}/', {
      params: { path: { customer_pk: customerId, id } },
      body,
      headers: headers(o),
    }),
  )
}

export async function deleteContact(customerId: number, id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/customers/{customer_pk}/contacts/{id}/', { params: { path: { customer_pk: customerId, id } } }))
}

export function listShares(id: number): Promise<CustomerShare[]> {
  return unwrapList(http.GET('/api/v1/customers/{id}/shares/', { params: { path: { id } } }))
}

export function listHistory(id: number): Promise<CustomerEvent[]> {
  return unwrapList(http.GET('/api/v1/customers/{id}/history/', { params: { path: { id } } }))
}

export function listRelations(id: number): Promise<CustomerRelation[]> {
  return unwrapList(http.GET('/api/v1/customers/{id}/relations/', { params: { path: { id } } }))
}

export function createRelation(id: number, body: CustomerRelationInput, o?: CallOptions): Promise<CustomerRelation> {
  return unwrapAs(http.POST('/api/v1/customers/{id}/relations/', { params: { path: { id } }, body, headers: headers(o) }))
}

export async function deleteRelation(customerId: number, id: number): Promise<void> {
  await unwrap(
    http.DELETE('/api/v1/customers/{customer_pk}/relations/{id}/', { params: { path: { customer_pk: customerId, id } } }),
  )
}

export function mergeCustomers(body: MergeBody): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/customers/merge/', { body }))
}
