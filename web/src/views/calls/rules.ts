/**
 * Seed 003 §1.1.2 submit rules of the call page, checked in the browser before sending; the server
 * checks the same rules (shoal/calls/services.py annotation_rules) and answers with the same fields.
 */
export interface AnnotationDraft {
  development_outlook: string
  target_customers: string
  competition: string
  network_awareness: string
  needs_category: string
  awareness_category: string
  intent_level: number | null
  next_step: string
  next_follow_up_at: string | null
  remind: boolean
}

export const FIRST_THREE = ['development_outlook', 'target_customers', 'competition'] as const

/** field → i18n key of the message; empty when the draft may be submitted */
export function annotationRuleErrors(d: AnnotationDraft): Record<string, string> {
  const errors: Record<string, string> = {}
  const written = FIRST_THREE.filter((f) => d[f].trim())
  if (written.length && !d.needs_category) errors.needs_category = 'calls.rules.needsCategory'
  if (d.needs_category) {
    for (const f of FIRST_THREE) if (!written.includes(f)) errors[f] = 'calls.rules.firstThree'
  }
  const awareness = d.network_awareness.trim()
  if (awareness && !d.awareness_category) errors.awareness_category = 'calls.rules.awarenessCategory'
  if (d.awareness_category && !awareness) errors.network_awareness = 'calls.rules.networkAwareness'
  const anything = [...FIRST_THREE, 'network_awareness' as const].some((f) => d[f].trim())
  if (!anything && d.intent_level === null && !Object.keys(errors).length) errors.general = 'calls.rules.empty'
  if (d.remind && !d.next_follow_up_at) errors.next_follow_up_at = 'calls.rules.remindAt'
  if (d.remind && d.next_step === 'none') errors.next_step = 'calls.rules.remindStep'
  return errors
}
