/**
 * Types derived from the generated schema by path and method, so the rest of the app does not
 * depend on the component names drf-spectacular happens to choose.
 */
import type { paths } from './schema'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
type Get<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never
type Op<P extends keyof paths, M extends Method> = NonNullable<Get<paths[P], M>>
type JsonContent<R> = Get<Get<R, 'content'>, 'application/json'>

/** The JSON body of a successful response. */
export type ResponseOf<P extends keyof paths, M extends Method, S extends number = 200> = JsonContent<
  Get<Get<Op<P, M>, 'responses'>, S>
>

/** The JSON request body. */
export type BodyOf<P extends keyof paths, M extends Method> = JsonContent<NonNullable<Get<Op<P, M>, 'requestBody'>>>

/** The query parameters. */
export type QueryOf<P extends keyof paths, M extends Method> = NonNullable<Get<Get<Op<P, M>, 'parameters'>, 'query'>>

type Item<T> = T extends readonly (infer U)[] ? U : never

export type Me = ResponseOf<'/api/v1/auth/me/', 'get'>
export type SessionState = ResponseOf<'/api/v1/auth/session/', 'get'>
export type MePatch = BodyOf<'/api/v1/auth/me/', 'patch'>
export type ApiToken = Item<ResponseOf<'/api/v1/auth/tokens/', 'get'>>
export type ApiTokenCreated = ResponseOf<'/api/v1/auth/tokens/', 'post', 201>

export type Department = Item<ResponseOf<'/api/v1/departments/', 'get'>>
export type DepartmentCreate = BodyOf<'/api/v1/departments/', 'post'>
export type DepartmentPatch = BodyOf<'/api/v1/departments/{id}/', 'patch'>

export type User = ResponseOf<'/api/v1/users/{id}/', 'get'>
export type UserQuery = QueryOf<'/api/v1/users/', 'get'>
export type UserCreate = BodyOf<'/api/v1/users/', 'post'>
export type UserPatch = BodyOf<'/api/v1/users/{id}/', 'patch'>
export type UserMove = Item<ResponseOf<'/api/v1/users/{id}/moves/', 'get'>>
export type HistoryEntry = Item<ResponseOf<'/api/v1/users/{id}/history/', 'get'>>

export type Role = Item<ResponseOf<'/api/v1/roles/', 'get'>>
export type RoleCreate = BodyOf<'/api/v1/roles/', 'post'>
export type RolePatch = BodyOf<'/api/v1/roles/{id}/', 'patch'>
export type Permission = Item<ResponseOf<'/api/v1/roles/permissions/', 'get'>>
export type DataScope = NonNullable<Role['data_scope']>

export type DictionaryKind = Item<ResponseOf<'/api/v1/dictionary/kinds/', 'get'>>
export type DictionaryItem = Item<ResponseOf<'/api/v1/dictionary/', 'get'>>
export type DictionaryItemCreate = BodyOf<'/api/v1/dictionary/', 'post'>
export type DictionaryItemPatch = BodyOf<'/api/v1/dictionary/{id}/', 'patch'>

export type Customer = Item<ResponseOf<'/api/v1/customers/', 'get'>['results']>
export type CustomerDetail = ResponseOf<'/api/v1/customers/{id}/', 'get'>
export type CustomerQuery = QueryOf<'/api/v1/customers/', 'get'>
export type CustomerCreate = BodyOf<'/api/v1/customers/', 'post'>
export type CustomerPatch = BodyOf<'/api/v1/customers/{id}/', 'patch'>
export type PoolCustomer = Item<ResponseOf<'/api/v1/pool/', 'get'>['results']>
export type PoolQuery = QueryOf<'/api/v1/pool/', 'get'>
export type CustomerStage = Item<ResponseOf<'/api/v1/customer-stages/', 'get'>>
export type IntentLevelInfo = Item<ResponseOf<'/api/v1/customers/intent-levels/', 'get'>>
export type DuplicateCandidate = Item<ResponseOf<'/api/v1/customers/duplicates/', 'get'>>
export type Contact = Item<ResponseOf<'/api/v1/customers/{id}/contacts/', 'get'>>
export type ContactInput = BodyOf<'/api/v1/customers/{id}/contacts/', 'post'>
export type CustomerShare = Item<ResponseOf<'/api/v1/customers/{id}/shares/', 'get'>>
export type CustomerEvent = Item<ResponseOf<'/api/v1/customers/{id}/history/', 'get'>>
export type CustomerRelation = Item<ResponseOf<'/api/v1/customers/{id}/relations/', 'get'>>
export type CustomerRelationInput = BodyOf<'/api/v1/customers/{id}/relations/', 'post'>
export type AssignBody = BodyOf<'/api/v1/customers/assign/', 'post'>
export type ShareBody = BodyOf<'/api/v1/customers/share/', 'post'>
export type UnshareBody = BodyOf<'/api/v1/customers/unshare/', 'post'>
export type PromoteBody = BodyOf<'/api/v1/customers/promote/', 'post'>
export type MergeBody = BodyOf<'/api/v1/customers/merge/', 'post'>
