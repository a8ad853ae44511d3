/** Data dictionary: /api/v1/dictionary/ */
import { http, unwrap, QUIET } from './http'
import type { DictionaryItem, DictionaryItemCreate, DictionaryItemPatch, DictionaryKind } from './types'

export type { DictionaryItem, DictionaryItemCreate, DictionaryItemPatch, DictionaryKind }

interface CallOptions {
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

export function listDictionaryKinds(): Promise<DictionaryKind[]> {
  return unwrap(http.GET('/api/v1/dictionary/kinds/'))
}

export function listDictionary(kind: string): Promise<DictionaryItem[]> {
  return unwrap(http.GET('/api/v1/dictionary/', { params: { query: { kind } } }))
}

export function createDictionaryItem(body: DictionaryItemCreate, o?: CallOptions): Promise<DictionaryItem> {
  return unwrap(http.POST('/api/v1/dictionary/', { body, headers: headers(o) }))
}

export function updateDictionaryItem(id: number, body: DictionaryItemPatch, o?: CallOptions): Promise<DictionaryItem> {
  return unwrap(http.PATCH('/api/v1/dictionary/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}

export async function deleteDictionaryItem(id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/dictionary/{id}/', { params: { path: { id } } }))
}
