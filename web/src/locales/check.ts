/**
 * Type-level check (run by `npm run typecheck`): every locale has exactly the keys of zh-CN.
 */
import type zhCN from './zh-CN.json'
import type zhTW from './zh-TW.json'
import type en from './en.json'

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> }
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

export const localesMatch: [Same<Shape<typeof zhCN>, Shape<typeof zhTW>>, Same<Shape<typeof zhCN>, Shape<typeof en>>] = [
  true,
  true,
]
