/**
 * The one request client of the web app: CSRF, language, credentials, and error messages.
 * Domain modules (auth.ts, org.ts, system.ts) wrap it with one function per endpoint.
 */
import createClient, { type Middleware } from 'openapi-fetch'
import { ElMessage } from 'element-plus'
import type { paths } from './schema'
import { apiLanguage, i18n } from '@/locales'

/** Error body shared by every endpoint (API.md). */
export interface ApiErrorBody {
  error: {
    code: string
    message: string
    fields?: Record<string, string[]>
    current?: Record<string, unknown>
  }
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string[]>
  readonly current?: Record<string, unknown>

  constructor(status: number, body: ApiErrorBody | null) {
    super(
      body?.error?.message ||
        (status === 0 ? i18n.global.t('common.errors.network') : i18n.global.t('common.errors.http', { status })),
    )
    this.name = 'ApiError'
    this.status = status
    this.code = body?.error?.code ?? (status === 0 ? 'network_error' : `http_${status}`)
    this.fields = body?.error?.fields ?? {}
    this.current = body?.error?.current
  }
}

/** Hooks the app installs at start-up, so this module needs no router (no import cycle). */
export const httpHooks = {
  onUnauthenticated: (): void => {},
  onPasswordChangeRequired: (): void => {},
}

/** Pass as `headers` on a call whose errors the caller shows itself (inline field errors, …). */
export const QUIET = { 'X-Shoal-Quiet': '1' } as const
const QUIET_HEADER = 'X-Shoal-Quiet'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function cookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return null
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof (body as ApiErrorBody).error === 'object' &&
    (body as ApiErrorBody).error !== null
  )
}

async function readErrorBody(response: Response): Promise<ApiErrorBody | null> {
  try {
    const body: unknown = await response.clone().json()
    return isErrorBody(body) ? body : null
  } catch {
    return null
  }
}

const quietRequests = new Set<string>()

const shoalMiddleware: Middleware = {
  onRequest({ request, id }) {
    if (request.headers.has(QUIET_HEADER)) {
      quietRequests.add(id)
      request.headers.delete(QUIET_HEADER)
    }
    request.headers.set('Accept-Language', apiLanguage())
    request.headers.set('Accept', 'application/json')
    if (UNSAFE.has(request.method)) {
      const token = cookie('csrftoken')
      if (token) request.headers.set('X-CSRFToken', token)
    }
    return request
  },
  async onResponse({ response, id }) {
    const quiet = quietRequests.delete(id)
    if (response.ok) return response
    const body = await readErrorBody(response)
    const code = body?.error?.code
    if (response.status === 401 || code === 'not_authenticated') {
      // The session ended (or never was): back to the sign-in page.
      httpHooks.onUnauthenticated()
      return response
    }
    if (response.status === 403 && code === 'password_change_required') {
      httpHooks.onPasswordChangeRequired()
      return response
    }
    if (!quiet) {
      ElMessage.error({
        message: body?.error?.message || i18n.global.t('common.errors.http', { status: response.status }),
        grouping: true,
      })
    }
    return response
  },
  onError({ id }) {
    const quiet = quietRequests.delete(id)
    if (!quiet) ElMessage.error({ message: i18n.global.t('common.errors.network'), grouping: true })
    return new Error(i18n.global.t('common.errors.network'))
  },
}

export const http = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })
http.use(shoalMiddleware)

/**
 * Turns an openapi-fetch result into its data, or throws ApiError (already shown to the user
 * unless the call was QUIET).
 */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await pending
  } catch {
    throw new ApiError(0, null)
  }
  const { data, error, response } = result
  if (!response.ok || error !== undefined) {
    throw new ApiError(response.status, isErrorBody(error) ? error : null)
  }
  return data as T
}

/** List pages are `{count, results}` (API.md). */
export interface Page<T> {
  count: number
  results: T[]
}

/** Batch verbs answer `{succeeded, failed}` (API.md). */
export interface BatchResult {
  succeeded: number[]
  failed: { id: number; code: string; message: string }[]
}
