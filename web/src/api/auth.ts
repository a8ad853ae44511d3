/** Sign-in, the current user, password and API tokens: /api/v1/auth/… */
import { http, unwrap, QUIET } from './http'
import type { ApiToken, ApiTokenCreated, Me, MePatch, SessionState } from './types'

export type { ApiToken, ApiTokenCreated, Me, MePatch, SessionState }

/** Errors are shown by the sign-in form itself. */
export function login(username: string, password: string): Promise<Me> {
  return unwrap(http.POST('/api/v1/auth/login/', { body: { username, password }, headers: QUIET }))
}

export async function logout(): Promise<void> {
  await unwrap(http.POST('/api/v1/auth/logout/', { headers: QUIET }))
}

/**
 * Who is signed in, if anyone: always 200, so a visitor who is not signed in causes no failed
 * request. Also sets the csrftoken cookie.
 */
export function fetchSession(): Promise<SessionState> {
  return unwrap(http.GET('/api/v1/auth/session/', { headers: QUIET }))
}

export function fetchMe(): Promise<Me> {
  return unwrap(http.GET('/api/v1/auth/me/'))
}

export function updateMe(body: MePatch, options: { quiet?: boolean } = {}): Promise<Me> {
  return unwrap(http.PATCH('/api/v1/auth/me/', { body, headers: options.quiet ? QUIET : undefined }))
}

/** Field errors are shown under the form's fields. */
export async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  await unwrap(
    http.POST('/api/v1/auth/password/', {
      body: { old_password: oldPassword, new_password: newPassword },
      headers: QUIET,
    }),
  )
}

export function listTokens(): Promise<ApiToken[]> {
  return unwrap(http.GET('/api/v1/auth/tokens/'))
}

export function createToken(name: string): Promise<ApiTokenCreated> {
  return unwrap(http.POST('/api/v1/auth/tokens/', { body: { name } }))
}

export async function revokeToken(id: number): Promise<void> {
  await unwrap(http.DELETE('/api/v1/auth/tokens/{id}/', { params: { path: { id } } }))
}
