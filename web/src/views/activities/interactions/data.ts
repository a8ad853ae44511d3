/** Columns of the interaction lists (跟进记录 and the customer tab). */
import type { Interaction } from '@/api/activities'
import { formatDateTime, type TableColumn } from '@/components/table'

export function interactionColumns({ withCustomer }: { withCustomer: boolean }): TableColumn<Interaction>[] {
  const columns: TableColumn<Interaction>[] = [
    { prop: 'occurred_at', label: 'activities.field.occurredAt', width: 150, sortable: true, formatter: (r) => formatDateTime(r.occurred_at) },
    { prop: 'channel', label: 'activities.field.channel', width: 90, sortable: true, slot: true },
  ]
  if (withCustomer) columns.push({ prop: 'customer_name', label: 'activities.field.customer', minWidth: 180, sortable: true, slot: true })
  columns.push(
    { prop: 'contact_name', label: 'activities.field.contact', width: 100 },
    { prop: 'content', label: 'activities.field.content', minWidth: 220 },
    { prop: 'needs', label: 'activities.field.needs', minWidth: 140 },
    { prop: 'quoted_price', label: 'activities.field.quotedPrice', width: 120, sortable: true, align: 'right', slot: true },
    { prop: 'concerns', label: 'activities.field.concerns', minWidth: 120 },
    { prop: 'next_step', label: 'activities.field.nextStep', minWidth: 140 },
    { prop: 'user_name', label: 'activities.field.user', width: 100, sortable: true },
  )
  if (withCustomer) columns.push({ prop: 'department_name', label: 'activities.field.department', width: 120 })
  return columns
}
