/**
 * Customer pools and their rules (CUS-1, SYS-2): /api/v1/pools/ — pools and members, rules, the
 * auto-return preview, moving customers, locks, pool health; and returning to a chosen pool.
 */
import { http, unwrap, QUIET, type BatchResult } from './http'
import type { BodyOf, ResponseOf } from './types'

type Item<T> = T extends readonly (infer U)[] ? U : never

export type Pool = Item<ResponseOf<'/api/v1/pools/', 'get'>>
export type PoolCreate = BodyOf<'/api/v1/pools/', 'post'>
export type PoolPatch = BodyOf<'/api/v1/pools/{id}/', 'patch'>
export type PoolRules = ResponseOf<'/api/v1/pools/{id}/rules/', 'get'>
export type PoolRulesPatch = BodyOf<'/api/v1/pools/{id}/rules/', 'patch'>
export type PoolPreviewBody = BodyOf<'/api/v1/pools/{id}/preview/', 'post'>
export type PoolPreview = ResponseOf<'/api/v1/pools/{id}/preview/', 'post'>
export type PoolHealth = ResponseOf<'/api/v1/pools/health/', 'get'>

interface CallOptions {
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

export function listPools(): Promise<Pool[]> {
  return unwrap(http.GET('/api/v1/pools/')) as Promise<Pool[]>
}

export function createPool(body: PoolCreate, o?: CallOptions): Promise<Pool> {
  return unwrap(http.POST('/api/v1/pools/', { body, headers: headers(o) })) as Promise<Pool>
}

export function updatePool(id: number, body: PoolPatch, o?: CallOptions): Promise<Pool> {
  return unwrap(http.PATCH('/api/v1/pools/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export async function deletePool(id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/pools/{id}/', { params: { path: { id } } }))
}

export function getPoolRules(id: number): Promise<PoolRules> {
  return unwrap(http.GET('/api/v1/pools/{id}/rules/', { params: { path: { id } } }))
}

export function updatePoolRules(id: number, body: PoolRulesPatch, o?: CallOptions): Promise<PoolRules> {
  return unwrap(http.PATCH('/api/v1/pools/{id}/rules/', { params: { path: { id } }, body, headers: headers(o) }))
}

export function previewPoolRules(id: number, body: PoolPreviewBody): Promise<PoolPreview> {
  return unwrap(http.POST('/api/v1/pools/{id}/preview/', { params: { path: { id } }, body }))
}

export function getPoolHealth(pool?: number): Promise<PoolHealth> {
  return unwrap(http.GET('/api/v1/pools/health/', { params: { query: pool ? { pool } : {} } }))
}

export function moveCustomers(ids: number[], to: number, reason = ''): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/pools/move/', { body: { ids, to, reason } }))
}

export function lockCustomers(ids: number[], locked: boolean): Promise<BatchResult> {
  return locked
    ? unwrap(http.POST('/api/v1/pools/lock/', { body: { ids } }))
    : unwrap(http.POST('/api/v1/pools/unlock/', { body: { ids } }))
}

/** 归还 to a chosen pool (CUS-1: where more than one exists). */
export function returnCustomers(ids: number[], pool: number | null, reason = ''): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/customers/return/', { body: { ids, reason, pool } }))
}
