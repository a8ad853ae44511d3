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


# -------- CUS-13 import/export, tags (issue 5)


def populate(world) -> None:
    import io

    from shoal.customers.models import Tag
    from shoal.jobs.models import Job, JobStatus
    from shoal.org.models import User

    world.extra["tag"] = Tag.objects.create(name="矩阵标签")
    world.extra["imports"] = {
        user.username: Job.objects.create(
            kind="customer_import",
            status=JobStatus.DRAFT,
            created_by=user,
            input_file=f"imports/matrix/{user.username}.csv",
            input_name="list.csv",
            params={
                "format": "csv",
                "encoding": "utf-8",
                "header_row": 0,
                "headers": ["客户名称"],
                "samples": [],
                "row_estimate": 1,
                "mapping": {"0": "name"},
                "duplicate_policy": "skip",
                "claim": False,
                "default_source": "system",
            },
        )
        for user in User.objects.filter(pk__in=[u.pk for u in world.users.values()])
    }
    world.extra["_import_file"] = io.BytesIO("客户名称\n矩阵导入客户\n".encode())


def imports(w, actor):
    from django.core.files.storage import default_storage

    from shoal.core.tests.matrix_cases import MISSING, Target

    own, other = w.extra["imports"][actor], w.extra["imports"]["colleague"]
    for job in (own, other):
        if not default_storage.exists(job.input_file):
            w.extra["_import_file"].seek(0)
            default_storage.save(job.input_file, w.extra["_import_file"])
    return [
        Target("own upload", {"pk": own.pk}, True),
        Target("someone else's upload", {"pk": other.pk}, False),
        Target("missing", {"pk": MISSING}, False),
    ]


TABLE.update(
    {
        (f"{CUSTOMERS_URL}/import/", "POST"): [Case(perm="customer.import", ok=400)],  # no file sent
        (f"{CUSTOMERS_URL}/import/template/", "GET"): [Case(perm="customer.import", body={"format": "csv"})],
        (f"{CUSTOMERS_URL}/import/{{pk}}/", "GET"): [Case(targets=imports, perm="customer.import")],
        (f"{CUSTOMERS_URL}/import/{{pk}}/preview/", "POST"): [Case(targets=imports, perm="customer.import")],
        (f"{CUSTOMERS_URL}/import/{{pk}}/start/", "POST"): [Case(targets=imports, perm="customer.import", ok=202)],
        (f"{CUSTOMERS_URL}/export/", "GET"): [
            Case(perm="customer.export", body={"view": "all", "format": "csv"}),
            Case(perm="customer.export", body={"view": "pool", "format": "xlsx"}),
        ],
        ("/api/v1/customer-tags/", "GET"): [Case(perm="customer.view_pool")],
        ("/api/v1/customer-tags/", "POST"): [
            Case(perm="customer.edit", body=lambda w, a, t: {"name": f"新标签{a}"[:30]}, ok=201)
        ],
        ("/api/v1/customer-tags/{pk}/", "PATCH"): [
            Case(targets=one(lambda w: w.extra["tag"]), perm="system.manage_dictionary", body={"color": "#409EFF"})
        ],
        ("/api/v1/customer-tags/{pk}/", "DELETE"): [
            Case(targets=one(lambda w: w.extra["tag"]), perm="system.manage_dictionary", ok=204)
        ],
        (f"{CUSTOMERS_URL}/{{pk}}/tags/", "GET"): [Case(targets=customers)],
        (f"{CUSTOMERS_URL}/{{pk}}/tags/", "PUT"): [
            Case(
                targets=customers,
                perm="customer.edit",
                needs="edit",
                body=lambda w, a, t: {"tags": [w.extra["tag"].pk]},
            )
        ],
    }
)
