/** Labels, colours and formats shared by the sales screens. */
import type { TableColumn } from '@/components/table'
import type { Order, Product, Quote } from '@/api/sales'

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export const QUOTE_STATUS_TAG: Record<string, TagType> = {
  draft: 'info',
  sent: 'primary',
  accepted: 'success',
  rejected: 'danger',
}
export const ORDER_STATUS_TAG: Record<string, TagType> = { open: 'primary', completed: 'success', cancelled: 'info' }
export const SHIPPING_TAG: Record<string, TagType> = { unshipped: 'info', partial: 'warning', shipped: 'success' }
export const PAYMENT_TAG: Record<string, TagType> = { unpaid: 'info', partial: 'warning', paid: 'success' }

/** ¥1,234.50 from the API's "1234.50" (display only; the server does the arithmetic). */
export function yuan(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const [whole, cents = '00'] = value.replace('-', '').split('.')
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${value.startsWith('-') ? '-' : ''}¥${grouped}.${cents.padEnd(2, '0')}`
}

/** 2 instead of 2.00 for quantities. */
export function qty(value: string | null | undefined): string {
  if (!value) return ''
  return value.replace(/\.00$/, '').replace(/(\.\d)0$/, '$1')
}

export const productColumns: TableColumn<Product>[] = [
  { prop: 'code', label: 'orders.product.code', minWidth: 120, sortable: true },
  { prop: 'name', label: 'orders.product.name', minWidth: 130, sortable: true },
  { prop: 'spec', label: 'orders.product.spec', minWidth: 130, sortable: true },
  { prop: 'unit', label: 'orders.product.unit', width: 70, sortable: true },
  { prop: 'category_name', label: 'orders.product.category', minWidth: 110, sortable: true, sortField: 'category' },
  { prop: 'list_price', label: 'orders.product.listPrice', width: 110, sortable: true, align: 'right', formatter: (r) => yuan(r.list_price) },
  { prop: 'cost', label: 'orders.product.cost', width: 110, sortable: true, align: 'right', formatter: (r) => yuan(r.cost) },
  { prop: 'margin', label: 'orders.product.margin', width: 110, align: 'right', formatter: (r) => yuan(r.margin) },
  { prop: 'is_active', label: 'orders.product.status', width: 90, sortable: true, slot: true },
]

export const quoteColumns: TableColumn<Quote>[] = [
  { prop: 'number', label: 'orders.quote.number', minWidth: 150, sortable: true, slot: true },
  { prop: 'customer_name', label: 'orders.doc.customer', minWidth: 180, sortable: true },
  { prop: 'title', label: 'orders.quote.subject', minWidth: 140, sortable: true },
  { prop: 'quote_date', label: 'orders.quote.date', width: 110, sortable: true },
  { prop: 'valid_until', label: 'orders.quote.validUntil', width: 110, sortable: true },
  { prop: 'total', label: 'orders.money.total', width: 130, sortable: true, align: 'right', formatter: (r) => yuan(r.total) },
  { prop: 'status', label: 'orders.quote.status', width: 170, sortable: true, slot: true, tooltip: false },
  { prop: 'owner_name', label: 'orders.doc.owner', width: 100, sortable: true },
]

export const orderColumns: TableColumn<Order>[] = [
  { prop: 'number', label: 'orders.order.number', minWidth: 160, sortable: true, slot: true },
  { prop: 'customer_name', label: 'orders.doc.customer', minWidth: 180, sortable: true },
  { prop: 'order_date', label: 'orders.order.date', width: 110, sortable: true },
  { prop: 'total', label: 'orders.money.total', width: 130, sortable: true, align: 'right', formatter: (r) => yuan(r.total) },
  { prop: 'profit', label: 'orders.money.profit', width: 120, sortable: true, align: 'right', formatter: (r) => yuan(r.profit) },
  { prop: 'received', label: 'orders.money.received', width: 120, sortable: true, align: 'right', formatter: (r) => yuan(r.received) },
  { prop: 'status', label: 'orders.order.status', width: 90, sortable: true, slot: true },
  { prop: 'shipping_status', label: 'orders.order.shipping', width: 100, sortable: true, slot: true },
  { prop: 'payment_status', label: 'orders.order.payment', width: 100, sortable: true, slot: true },
  { prop: 'owner_name', label: 'orders.doc.owner', width: 100, sortable: true },
]
