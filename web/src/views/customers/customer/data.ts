/** 客户: columns of the lists, filters, the form schema and how batch results are summed up. */
import type { FormRules } from 'element-plus'
import type { Contact, ContactInput, Customer, CustomerCreate, CustomerDetail, PoolCustomer } from '@/api/customers'
import type { BatchResult } from '@/api/http'
import { formatDateTime, type TableColumn } from '@/components/table'
import { i18n } from '@/locales'
import { useLookupsStore } from '@/stores/lookups'
import { CUSTOMER_DICTIONARIES } from '@/stores/customers'
import { regionText } from '@/utils/region'

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})
const te = (key: string) => i18n.global.te(key)
const dict = (kind: string, code: string | null | undefined) => useLookupsStore().dictionaryName(kind, code)

const region = (r: { province?: string; city?: string; district?: string }) => regionText(r.province, r.city, r.district)

/** 我的客户 / 共享客户 / 全部客户 */
export const customerColumns: TableColumn<Customer>[] = [
  { prop: 'name', label: 'customers.field.name', sortable: true, minWidth: 220, slot: true, fixed: 'left' },
  // CUS-1 pool rules: days until auto-return (the smaller countdown), sortable; none sort last.
  { prop: 'days_left', label: 'pools.daysLeft', sortable: true, sortField: 'return_due_at', width: 110, slot: true },
  { prop: 'primary_contact_name', label: 'customers.field.primaryContact', sortable: true, minWidth: 110 },
  { prop: 'primary_contact_mobile', label: 'customers.field.primaryContactMobile', sortable: true, minWidth: 130 },
  { prop: 'stage', label: 'customers.field.stage', sortable: true, minWidth: 110, slot: true },
  { prop: 'intent_level', label: 'customers.field.intentLevel', sortable: true, minWidth: 124, slot: true },
  {
    prop: 'category',
    label: 'customers.field.category',
    sortable: true,
    minWidth: 112,
    formatter: (c) => dict(CUSTOMER_DICTIONARIES.category, c.category),
  },
  {
    prop: 'industry',
    label: 'customers.field.industry',
    sortable: true,
    minWidth: 100,
    formatter: (c) => dict(CUSTOMER_DICTIONARIES.industry, c.industry),
  },
  {
    prop: 'level',
    label: 'customers.field.level',
    sortable: true,
    minWidth: 110,
    formatter: (c) => dict(CUSTOMER_DICTIONARIES.level, c.level),
  },
  {
    prop: 'source',
    label: 'customers.field.source',
    sortable: true,
    minWidth: 130,
    formatter: (c) => dict(CUSTOMER_DICTIONARIES.source, c.source),
  },
  { prop: 'province', label: 'customers.field.region', sortable: true, minWidth: 150, formatter: region },
  { prop: 'owner_name', label: 'customers.field.owner', sortable: true, minWidth: 90 },
  {
    prop: 'last_followed_at',
    label: 'customers.field.lastFollowedAt',
    sortable: true,
    width: 150,
    formatter: (c) => formatDateTime(c.last_followed_at),
  },
  {
    prop: 'created_at',
    label: 'customers.field.createdAt',
    sortable: true,
    width: 150,
    formatter: (c) => formatDateTime(c.created_at),
  },
]

/** 客户池: public info and claim status only (CUS-1); empty cells for fields that are not public. */
export const poolColumns: TableColumn<PoolCustomer>[] = [
  { prop: 'name', label: 'customers.field.name', sortable: true, minWidth: 220, slot: true, fixed: 'left' },
  { prop: 'claimed', label: 'customers.field.claimStatus', width: 112, slot: true, sortable: true, sortField: 'owner' },
  { prop: 'owner_name', label: 'customers.field.owner', sortable: true, minWidth: 90 },
  // CUS-1 pool rules: 138****5678 while unclaimed, when the pool masks phones.
  { prop: 'mobile_masked', label: 'pools.maskedPhone', minWidth: 130, formatter: (c) => c.mobile_masked || c.phone_masked || '' },
  { prop: 'stage', label: 'customers.field.stage', sortable: true, minWidth: 110, slot: true },
  {
    prop: 'category',
    label: 'customers.field.category',
    sortable: true,
    minWidth: 112,
    formatter: (c) => dict(CUSTOMER_DICTIONARIES.category, c.category),
  },
  {
    prop: 'industry',
    label: 'customers.field.industry',
    sortable: true,
    minWidth: 100,
    formatter: (c) => dict(CUSTOMER_DICTIONARIES.industry, c.industry),
  },
  { prop: 'province', label: 'customers.field.region', sortable: true, minWidth: 150, formatter: region },
  {
    prop: 'created_at',
    label: 'customers.field.createdAt',
    sortable: true,
    width: 150,
    formatter: (c) => formatDateTime(c.created_at),
  },
]

/** Filters of the lists, sent as query parameters (API.md). */
export interface CustomerFilters {
  stage_id?: number
  category?: string
  industry?: string
  level?: string
  source?: string
  intent_level?: -1 | 0 | 1 | 2 | 3 | 4
  owner?: number
  department?: number
  claimed?: boolean
  province?: string
  city?: string
  district?: string
  created_at__gte?: string
  created_at__lte?: string
  tag?: number
}

/** What the filter panel edits (turned into CustomerFilters). */
export interface FilterForm {
  stage: number | null
  category: string
  industry: string
  level: string
  source: string
  intentLevel: number | null
  owner: number | null
  department: number | null
  claimed: boolean | null
  region: string[]
  created: [string, string] | null
  tag: number | null
}

export function emptyFilterForm(): FilterForm {
  return {
    stage: null,
    category: '',
    industry: '',
    level: '',
    source: '',
    intentLevel: null,
    owner: null,
    department: null,
    claimed: null,
    region: [],
    created: null,
    tag: null,
  }
}

export function filtersOf(f: FilterForm): CustomerFilters {
  const [p, c, d] = f.region
  return {
    stage_id: f.stage ?? undefined,
    category: f.category || undefined,
    industry: f.industry || undefined,
    level: f.level || undefined,
    source: f.source || undefined,
    intent_level: (f.intentLevel ?? undefined) as CustomerFilters['intent_level'],
    owner: f.owner ?? undefined,
    department: f.department ?? undefined,
    claimed: f.claimed ?? undefined,
    province: p ? p.padEnd(6, '0') : undefined,
    city: c ? c.padEnd(6, '0') : undefined,
    district: d || undefined,
    created_at__gte: f.created?.[0] ? `${f.created[0]}T00:00:00` : undefined,
    created_at__lte: f.created?.[1] ? `${f.created[1]}T23:59:59` : undefined,
    tag: f.tag ?? undefined,
  }
}

/** How many filters besides the quick search are set. */
export function activeFilterCount(f: FilterForm): number {
  return Object.values(filtersOf(f)).filter((v) => v !== undefined).length
}

// ---------------------------------------------------------------- the form

export interface ContactForm {
  /** local key for v-for */
  key: number
  is_primary: boolean
  name: string
  title: string
  mobile: string
  phone: string
  email: string
}

export interface CustomerForm {
  name: string
  short_name: string
  credit_code: string
  source: string
  stage: number | null
  category: string
  industry: string
  level: string
  intent_level: number | null
  region: string[]
  address: string
  phone: string
  mobile: string
  website: string
  remarks: string
  contacts: ContactForm[]
}

export const FORM_FIELDS = [
  'name',
  'short_name',
  'credit_code',
  'source',
  'stage',
  'category',
  'industry',
  'level',
  'intent_level',
  'province',
  'city',
  'district',
  'address',
  'phone',
  'mobile',
  'website',
  'remarks',
  'contacts',
]

let contactKey = 0
export function emptyContact(primary = false): ContactForm {
  return { key: ++contactKey, is_primary: primary, name: '', title: '', mobile: '', phone: '', email: '' }
}

export function emptyCustomerForm(): CustomerForm {
  return {
    name: '',
    short_name: '',
    credit_code: '',
    source: 'system', // CUS-9: 系统客户 by default
    stage: null,
    category: '',
    industry: '',
    level: '',
    intent_level: null,
    region: [],
    address: '',
    phone: '',
    mobile: '',
    website: '',
    remarks: '',
    contacts: [],
  }
}

export function customerToForm(c: CustomerDetail, region: string[]): CustomerForm {
  return {
    name: c.name,
    short_name: c.short_name ?? '',
    credit_code: c.credit_code ?? '',
    source: c.source ?? 'system',
    stage: c.stage ?? null,
    category: c.category ?? '',
    industry: c.industry ?? '',
    level: c.level ?? '',
    intent_level: c.intent_level ?? null,
    region,
    address: c.address ?? '',
    phone: c.phone ?? '',
    mobile: c.mobile ?? '',
    website: c.website ?? '',
    remarks: c.remarks ?? '',
    contacts: [],
  }
}

export function customerFormRules(): FormRules<CustomerForm> {
  return {
    name: [{ required: true, message: () => t('customers.form.nameRequired'), trigger: 'blur' }],
    source: [{ required: true, message: () => t('customers.form.sourceRequired'), trigger: 'change' }],
  }
}

export function contactToInput(c: ContactForm): ContactInput {
  return {
    is_primary: c.is_primary,
    name: c.name.trim(),
    title: c.title.trim(),
    mobile: c.mobile.trim(),
    phone: c.phone.trim(),
    email: c.email.trim(),
  }
}

/** The fields shared by create and edit (region codes stored as six digits, see utils/region). */
export function formToInput(f: CustomerForm): Omit<CustomerCreate, 'contacts' | 'claim' | 'force'> {
  const [p, c, d] = f.region
  return {
    name: f.name.trim(),
    short_name: f.short_name.trim(),
    credit_code: f.credit_code.trim() || null,
    source: f.source,
    stage: f.stage ?? undefined,
    category: f.category,
    industry: f.industry,
    level: f.level,
    intent_level: (f.intent_level ?? null) as CustomerCreate['intent_level'],
    province: p ? p.padEnd(6, '0') : '',
    city: c ? c.padEnd(6, '0') : '',
    district: d ?? '',
    address: f.address.trim(),
    phone: f.phone.trim(),
    mobile: f.mobile.trim(),
    website: f.website.trim(),
    remarks: f.remarks,
  }
}

export function contactFromApi(c: Contact): ContactForm {
  return {
    key: ++contactKey,
    is_primary: !!c.is_primary,
    name: c.name,
    title: c.title ?? '',
    mobile: c.mobile ?? '',
    phone: c.phone ?? '',
    email: c.email ?? '',
  }
}

// ---------------------------------------------------------------- batch results

export type CustomerAction = 'claim' | 'return' | 'recall' | 'assign' | 'share' | 'unshare' | 'promote' | 'delete' | 'merge'

/**
 * "8 领用成功，2 已被他人领用": successes named by the action, failures grouped by their code (a known
 * code has its own wording, others show the API's message).
 */
export function batchSummary(action: CustomerAction, result: BatchResult): string {
  const parts: string[] = []
  if (result.succeeded.length || !result.failed.length) {
    parts.push(t(`customers.batch.ok.${action}`, { n: result.succeeded.length }))
  }
  const groups = new Map<string, { n: number; message: string }>()
  for (const f of result.failed) {
    const g = groups.get(f.code) ?? { n: 0, message: f.message }
    g.n += 1
    groups.set(f.code, g)
  }
  for (const [code, g] of groups) {
    const key = `customers.batch.failed.${code}`
    parts.push(te(key) ? t(key, { n: g.n }) : t('customers.batch.failedOther', { n: g.n, message: g.message }))
  }
  return parts.join(t('customers.batch.separator'))
}

/** i18n keys of the fields in a customer's history. */
export const HISTORY_FIELD_LABELS: Record<string, string> = {
  name: 'customers.field.name',
  short_name: 'customers.field.shortName',
  credit_code: 'customers.field.creditCode',
  category: 'customers.field.category',
  industry: 'customers.field.industry',
  level: 'customers.field.level',
  source: 'customers.field.source',
  stage: 'customers.field.stage',
  intent_level: 'customers.field.intentLevel',
  province: 'customers.field.province',
  city: 'customers.field.city',
  district: 'customers.field.district',
  address: 'customers.field.address',
  phone: 'customers.field.phone',
  mobile: 'customers.field.mobile',
  website: 'customers.field.website',
  remarks: 'customers.field.remarks',
  owner: 'customers.field.owner',
}
