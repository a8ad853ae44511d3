"""Authorization-matrix entries of settings (SYS-1, SYS-2)."""

from shoal.core.tests.matrix_cases import Case, one

TABLE = {
    # -------- settings (SYS-1, SYS-2)
    ("/api/v1/dictionary/", "GET"): [Case()],
    ("/api/v1/dictionary/", "POST"): [
        Case(perm="system.manage_dictionary", body={"kind": "industry", "code": "mining", "name": "采矿"}, ok=201)
    ],
    ("/api/v1/dictionary/kinds/", "GET"): [Case()],
    ("/api/v1/dictionary/{pk}/", "PATCH"): [
        Case(targets=one("dictionary_item"), perm="system.manage_dictionary", body={"name": "航空航天"})
    ],
    ("/api/v1/dictionary/{pk}/", "DELETE"): [
        Case(targets=one("dictionary_item"), perm="system.manage_dictionary", ok=204)
    ],
    ("/api/v1/parameters/", "GET"): [Case()],
    ("/api/v1/parameters/", "PATCH"): [Case(perm="system.manage_parameters", body={"forced_hierarchy_sharing": True})],
}
