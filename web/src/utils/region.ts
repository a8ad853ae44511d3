/**
 * Regions (province / city / district) from element-china-area-data, loaded on first use (it is
 * large). The backend keeps six-digit GB/T 2260 codes (310000, 310100, 310115); the package's
 * cascader uses 31, 3101, 310115 — converted both ways here.
 */
import { shallowRef } from 'vue'
import type { CascaderOption } from 'element-plus'

const options = shallowRef<CascaderOption[]>([])
const names = shallowRef<Record<string, string>>({})
let loading: Promise<void> | null = null

/** The cascader options; empty until loadRegions() has finished. */
export const regionOptions = options

export function loadRegions(): Promise<void> {
  loading ??= import('element-china-area-data').then((m) => {
    names.value = m.codeToText
    options.value = m.regionData as CascaderOption[]
  })
  return loading
}

/** 310000 → 31, 310100 → 3101, 310115 → 310115 */
export function toCascaderCode(code: string, level: 0 | 1 | 2): string {
  if (!code) return ''
  if (level === 0) return code.slice(0, 2)
  if (level === 1) return code.slice(0, 4)
  return code
}

/** 31 → 310000, 3101 → 310100 */
export function toStoredCode(code: string): string {
  return code ? code.padEnd(6, '0') : ''
}

/** Cascader value from the stored province/city/district codes. */
export function regionPath(province?: string | null, city?: string | null, district?: string | null): string[] {
  const path: string[] = []
  if (province) path.push(toCascaderCode(province, 0))
  if (province && city) path.push(toCascaderCode(city, 1))
  if (province && city && district) path.push(toCascaderCode(district, 2))
  return path
}

/** 上海市 / 浦东新区 for stored codes ("市辖区" is left out); the codes themselves until the data has loaded. */
export function regionText(province?: string | null, city?: string | null, district?: string | null): string {
  const parts: string[] = []
  const add = (code: string | null | undefined, level: 0 | 1 | 2) => {
    if (!code) return
    const name = names.value[toCascaderCode(code, level)]
    if (name === '市辖区' || name === '县') return
    parts.push(name ?? code)
  }
  add(province, 0)
  add(city, 1)
  add(district, 2)
  return parts.join(' / ')
}
