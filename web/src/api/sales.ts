/**
 * Sales documents (SAL-3/4/5): /api/v1/products/, /api/v1/product-categories/, /api/v1/quotes/,
 * /api/v1/orders/ with their verbs. Money arrives as strings with 2 decimals, computed by the server.
 */
import { http, unwrap, QUIET, type BatchResult, type Page } from './http'
import type { BodyOf, QueryOf, ResponseOf } from './types'

type Item<T> = T extends readonly (infer U)[] ? U : never

export type Product = ResponseOf<'/api/v1/products/{id}/', 'get'>
export type ProductQuery = QueryOf<'/api/v1/products/', 'get'>
export type ProductInput = BodyOf<'/api/v1/products/', 'post'>
export type ProductPatch = BodyOf<'/api/v1/products/{id}/', 'patch'>
export type ProductCategory = Item<ResponseOf<'/api/v1/product-categories/', 'get'>>

export type Quote = Item<ResponseOf<'/api/v1/quotes/', 'get'>['results']>
export type QuoteDetail = ResponseOf<'/api/v1/quotes/{id}/', 'get'>
export type QuoteQuery = QueryOf<'/api/v1/quotes/', 'get'>
export type QuoteInput = BodyOf<'/api/v1/quotes/', 'post'>
export type QuotePatch = BodyOf<'/api/v1/quotes/{id}/', 'patch'>
export type QuoteStatus = Quote['status']
export type LineInput = Item<QuoteInput['lines']>
export type QuoteLine = Item<QuoteDetail['lines']>
export type DocumentEvent = Item<ResponseOf<'/api/v1/quotes/{id}/history/', 'get'>>

export type Order = Item<ResponseOf<'/api/v1/orders/', 'get'>['results']>
export type OrderDetail = ResponseOf<'/api/v1/orders/{id}/', 'get'>
export type OrderQuery = QueryOf<'/api/v1/orders/', 'get'>
export type OrderInput = BodyOf<'/api/v1/orders/', 'post'>
export type OrderPatch = BodyOf<'/api/v1/orders/{id}/', 'patch'>
export type OrderLine = Item<OrderDetail['lines']>
export type ShipmentInput = BodyOf<'/api/v1/orders/{id}/shipments/', 'post'>
export type ReceiptInput = BodyOf<'/api/v1/orders/{id}/receipts/', 'post'>

interface CallOptions {
  /** The caller shows errors itself (field errors inline, 409 dialogs). */
  quiet?: boolean
}
const headers = (o?: CallOptions) => (o?.quiet ? QUIET : undefined)

// -------- products (SAL-3)

export function listProducts(query: ProductQuery): Promise<Page<Product>> {
  return unwrap(http.GET('/api/v1/products/', { params: { query } }))
}
export function getProduct(id: number): Promise<Product> {
  return unwrap(http.GET('/api/v1/products/{id}/', { params: { path: { id } } }))
}
export function createProduct(body: ProductInput, o?: CallOptions): Promise<Product> {
  return unwrap(http.POST('/api/v1/products/', { body, headers: headers(o) }))
}
export function updateProduct(id: number, body: ProductPatch, o?: CallOptions): Promise<Product> {
  return unwrap(http.PATCH('/api/v1/products/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function setProductsActive(ids: number[], active: boolean): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/products/set-active/', { body: { ids, active } }))
}
export function listProductCategories(): Promise<ProductCategory[]> {
  return unwrap(http.GET('/api/v1/product-categories/')) as Promise<ProductCategory[]>
}
export function createProductCategory(body: { name: string; parent?: number | null }): Promise<ProductCategory> {
  return unwrap(http.POST('/api/v1/product-categories/', { body: body as ProductCategory }))
}

// -------- quotes (SAL-4)

export function listQuotes(query: QuoteQuery): Promise<Page<Quote>> {
  return unwrap(http.GET('/api/v1/quotes/', { params: { query } }))
}
export function getQuote(id: number): Promise<QuoteDetail> {
  return unwrap(http.GET('/api/v1/quotes/{id}/', { params: { path: { id } } }))
}
export function createQuote(body: QuoteInput, o?: CallOptions): Promise<QuoteDetail> {
  return unwrap(http.POST('/api/v1/quotes/', { body, headers: headers(o) }))
}
export function updateQuote(id: number, body: QuotePatch, o?: CallOptions): Promise<QuoteDetail> {
  return unwrap(http.PATCH('/api/v1/quotes/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}
export type QuoteVerb = 'send' | 'accept' | 'reject'
export function moveQuotes(verb: QuoteVerb, ids: number[], reason = ''): Promise<BatchResult> {
  const body = { ids, reason }
  if (verb === 'send') return unwrap(http.POST('/api/v1/quotes/send/', { body }))
  if (verb === 'accept') return unwrap(http.POST('/api/v1/quotes/accept/', { body }))
  return unwrap(http.POST('/api/v1/quotes/reject/', { body }))
}
export function deleteQuotes(ids: number[], reason = ''): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/quotes/delete/', { body: { ids, reason } }))
}
export function convertQuote(id: number): Promise<OrderDetail> {
  return unwrap(http.POST('/api/v1/quotes/{id}/convert/', { params: { path: { id } } }))
}
export function quoteHistory(id: number): Promise<DocumentEvent[]> {
  return unwrap(http.GET('/api/v1/quotes/{id}/history/', { params: { path: { id } } }))
}

// -------- orders (SAL-5)

export function listOrders(query: OrderQuery): Promise<Page<Order>> {
  return unwrap(http.GET('/api/v1/orders/', { params: { query } }))
}
export function getOrder(id: number): Promise<OrderDetail> {
  return unwrap(http.GET('/api/v1/orders/{id}/', { params: { path: { id } } }))
}
export function createOrder(body: OrderInput, o?: CallOptions): Promise<OrderDetail> {
  return unwrap(http.POST('/api/v1/orders/', { body, headers: headers(o) }))
}
export function updateOrder(id: number, body: OrderPatch, o?: CallOptions): Promise<OrderDetail> {
  return unwrap(http.PATCH('/api/v1/orders/{id}/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function cancelOrders(ids: number[], reason: string): Promise<BatchResult> {
  return unwrap(http.POST('/api/v1/orders/cancel/', { body: { ids, reason } }))
}
export function recordShipment(id: number, body: ShipmentInput, o?: CallOptions): Promise<OrderDetail> {
  return unwrap(http.POST('/api/v1/orders/{id}/shipments/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function recordReceipt(id: number, body: ReceiptInput, o?: CallOptions): Promise<OrderDetail> {
  return unwrap(http.POST('/api/v1/orders/{id}/receipts/', { params: { path: { id } }, body, headers: headers(o) }))
}
export function orderHistory(id: number): Promise<DocumentEvent[]> {
  return unwrap(http.GET('/api/v1/orders/{id}/history/', { params: { path: { id } } }))
}
