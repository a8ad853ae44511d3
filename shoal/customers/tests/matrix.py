"""Authorization-matrix entries of customers and the pool (CUS-1…12)."""

from shoal.core.tests.matrix_cases import (
    Case,
    assign_rule,
    batch_of,
    children,
    claim_rule,
    customers,
    delete_rule,
    merge_rule,
    one,
    partner,
    pk_of,
    pool_customers,
    recall_rule,
    restore_rule,
    return_rule,
    share_rule,
    version_of,
    writable_rule,
)

CUSTOMERS_URL = "/api/v1/customers"

TABLE = {
    ("/api/v1/customer-stages/", "GET"): [Case()],
    ("/api/v1/customer-stages/", "POST"): [
        Case(perm="system.manage_dictionary", body={"code": "lost", "name": "流失客户"}, ok=201)
    ],
    ("/api/v1/customer-stages/{pk}/", "PATCH"): [
        Case(targets=one("stage"), perm="system.manage_dictionary", body={"name": "潜在"})
    ],
    # -------- the pool (CUS-1): every customer, public info only
    ("/api/v1/pool/", "GET"): [Case(perm="customer.view_pool")],
    ("/api/v1/pool/{pk}/", "GET"): [Case(targets=pool_customers, perm="customer.view_pool")],
    # -------- customers (CUS-1…12): the records of the caller's view
    (f"{CUSTOMERS_URL}/", "GET"): [Case(), Case(body={"view": "deleted"}), Case(body={"view": "shared"})],
    (f"{CUSTOMERS_URL}/", "POST"): [
        Case(perm="customer.create", body=lambda w, a, t: {"name": f"矩阵新客户{a}", "source": "system"}, ok=201)
    ],
    (f"{CUSTOMERS_URL}/duplicates/", "GET"): [
        Case(body={"name": "矩阵east客户有限公司"}),
        Case(body={"phone": "0755-66000004"}),
    ],
    (f"{CUSTOMERS_URL}/intent-levels/", "GET"): [Case()],
    (f"{CUSTOMERS_URL}/{{pk}}/", "GET"): [Case(targets=customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/", "PATCH"): [
        Case(
            targets=customers,
            perm="customer.edit",
            needs="edit",
            body=lambda w, a, t: {"version": version_of(w, t), "remarks": "改"},
        )
    ],
    (f"{CUSTOMERS_URL}/{{pk}}/contacts/", "GET"): [Case(targets=customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/contacts/", "POST"): [
        Case(targets=customers, perm="customer.edit", needs="edit", body={"name": "新联系人"}, ok=201)
    ],
    (f"{CUSTOMERS_URL}/{{pk}}/shares/", "GET"): [Case(targets=customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/history/", "GET"): [Case(targets=customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/relations/", "GET"): [Case(targets=customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/relations/", "POST"): [
        Case(
            targets=customers,
            perm="customer.edit",
            needs="edit",
            body=lambda w, a, t: {"to_customer": partner(w, t), "relation_type": "supplier"},
            ok=201,
        )
    ],
    (f"{CUSTOMERS_URL}/{{customer_pk}}/contacts/{{pk}}/", "PATCH"): [
        Case(targets=children("contacts", ("hub", "east")), perm="customer.edit", needs="edit", body={"title": "经理"})
    ],
    (f"{CUSTOMERS_URL}/{{customer_pk}}/contacts/{{pk}}/", "DELETE"): [
        Case(targets=children("contacts", ("hub", "east")), perm="customer.edit", needs="edit", ok=204)
    ],
    (f"{CUSTOMERS_URL}/{{customer_pk}}/relations/{{pk}}/", "DELETE"): [
        Case(targets=children("relations", ("own", "east")), perm="customer.edit", needs="edit", ok=204)
    ],
    # -------- batch verbs (API.md, Writes): one request with every customer's id and a missing one
    (f"{CUSTOMERS_URL}/claim/", "POST"): [Case(perm="customer.claim", body=batch_of(), batch=claim_rule)],
    (f"{CUSTOMERS_URL}/return/", "POST"): [Case(perm="customer.return", body=batch_of(), batch=return_rule)],
    (f"{CUSTOMERS_URL}/recall/", "POST"): [Case(perm="customer.recall", body=batch_of(), batch=recall_rule)],
    (f"{CUSTOMERS_URL}/assign/", "POST"): [
        Case(
            perm="customer.assign",
            body=batch_of(lambda w, a: {"to": [w.users[a].pk if a in w.users else 1]}),
            batch=assign_rule,
        )
    ],
    (f"{CUSTOMERS_URL}/share/", "POST"): [
        Case(perm="customer.share", body=batch_of(lambda w, a: {"users": [w.users["colleague"].pk]}), batch=share_rule)
    ],
    (f"{CUSTOMERS_URL}/unshare/", "POST"): [
        Case(perm="customer.share", body=batch_of(lambda w, a: {"users": [w.users["sales_rep"].pk]}), batch=share_rule)
    ],
    (f"{CUSTOMERS_URL}/promote/", "POST"): [Case(perm="customer.promote", body=batch_of(), batch=writable_rule)],
    (f"{CUSTOMERS_URL}/delete/", "POST"): [Case(perm="customer.delete", body=batch_of(), batch=delete_rule)],
    (f"{CUSTOMERS_URL}/restore/", "POST"): [Case(perm="customer.restore", body=batch_of(), batch=restore_rule)],
    (f"{CUSTOMERS_URL}/merge/", "POST"): [
        # every id into the hub (seen by everyone) …
        Case(perm="customer.merge", body=batch_of(lambda w, a: {"target": w.customers["hub"].pk}), batch=merge_rule),
        # … and the hub into each customer: the survivor must be seen (404) and editable (403)
        Case(
            targets=customers,
            perm="customer.merge",
            needs="edit",
            body=lambda w, a, t: {"target": pk_of(w, t), "ids": [partner(w, t)]},
        ),
    ],
}
