"""Authorization-matrix entries of sign-in and the organisation (ORG-1…4)."""

from shoal.core.tests.matrix_cases import Case, one, tokens
from shoal.core.tests.matrix_world import PASSWORD

TABLE = {
    # -------- sign-in and the caller themselves (ORG-3)
    ("/api/v1/auth/login/", "POST"): [
        Case(
            body=lambda w, a, t: {"username": "nobody" if a == "anonymous" else a, "password": PASSWORD},
            anonymous=400,  # nobody by that name
            pending=200,
        )
    ],
    ("/api/v1/auth/logout/", "POST"): [Case(ok=204, pending=204)],
    ("/api/v1/auth/session/", "GET"): [Case(anonymous=200, pending=200)],
    ("/api/v1/auth/me/", "GET"): [Case(pending=200)],
    ("/api/v1/auth/me/", "PATCH"): [Case(body={"name": "改名"}, pending=200)],
    ("/api/v1/auth/password/", "POST"): [
        Case(body={"old_password": PASSWORD, "new_password": "Changed-pass-2026!"}, ok=204, pending=204)
    ],
    ("/api/v1/auth/tokens/", "GET"): [Case()],
    ("/api/v1/auth/tokens/", "POST"): [Case(body={"name": "cli"}, ok=201)],
    ("/api/v1/auth/tokens/{pk}/", "DELETE"): [Case(targets=tokens, ok=204)],
    # -------- organisation (ORG-1, ORG-2, ORG-4): company-wide to read, administrators to change
    ("/api/v1/departments/", "GET"): [Case()],
    ("/api/v1/departments/", "POST"): [
        Case(
            perm="org.manage_departments",
            body=lambda w, a, t: {"name": "新部门", "parent": w.departments["root"].pk},
            ok=201,
        )
    ],
    ("/api/v1/departments/{pk}/", "GET"): [Case(targets=one("department"))],
    ("/api/v1/departments/{pk}/", "PATCH"): [
        Case(targets=one("department"), perm="org.manage_departments", body={"name": "改名部门"})
    ],
    ("/api/v1/departments/{pk}/", "DELETE"): [Case(targets=one("department"), perm="org.manage_departments", ok=204)],
    ("/api/v1/users/", "GET"): [Case()],
    ("/api/v1/users/", "POST"): [
        Case(
            perm="org.manage_users",
            body=lambda w, a, t: {
                "username": "newbie",
                "name": "新人",
                "password": "Newbie-pass-2026!",
                "department": w.departments["team_a"].pk,
                "role": w.users["sales_rep"].role_id,
            },
            ok=201,
        )
    ],
    ("/api/v1/users/{pk}/", "GET"): [Case(targets=one("user"))],
    ("/api/v1/users/{pk}/", "PATCH"): [Case(targets=one("user"), perm="org.manage_users", body={"name": "改名"})],
    ("/api/v1/users/{pk}/history/", "GET"): [Case(targets=one("user"), perm="org.manage_users")],
    ("/api/v1/users/{pk}/moves/", "GET"): [Case(targets=one("user"), perm="org.view_staff")],
    ("/api/v1/users/{pk}/reset_password/", "POST"): [
        Case(targets=one("user"), perm="org.manage_users", body={"password": "Reset-pass-2026!"}, ok=204)
    ],
    ("/api/v1/users/deactivate/", "POST"): [
        Case(perm="org.manage_users", body=lambda w, a, t: {"ids": [w.users["rep_east"].pk]})
    ],
    ("/api/v1/users/reactivate/", "POST"): [
        Case(perm="org.manage_users", body=lambda w, a, t: {"ids": [w.users["rep_east"].pk]})
    ],
    ("/api/v1/roles/", "GET"): [Case()],
    ("/api/v1/roles/", "POST"): [
        Case(
            perm="org.manage_roles",
            body={"code": "viewer", "name": "访客", "data_scope": "self", "permissions": []},
            ok=201,
        )
    ],
    ("/api/v1/roles/permissions/", "GET"): [Case()],
    ("/api/v1/roles/{pk}/", "GET"): [Case(targets=one("role"))],
    ("/api/v1/roles/{pk}/", "PATCH"): [Case(targets=one("role"), perm="org.manage_roles", body={"name": "审计员"})],
    ("/api/v1/roles/{pk}/", "DELETE"): [Case(targets=one("role"), perm="org.manage_roles", ok=204)],
}
