"""The all-records list of interactions (跟进记录, ACT-1) at scale: fills activities_interaction with
N rows over the claimed customers of a generated benchmark database (bench/generate.py first), then
times the list for reps and a manager.

    DATABASE_URL=postgres://…/shoal_bench python bench/generate.py 100000
    DATABASE_URL=postgres://…/shoal_bench python bench/activities.py --fill 5000000
    DATABASE_URL=postgres://…/shoal_bench python bench/activities.py
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.run import measure, signed_in  # noqa: E402
from shoal.activities.models import Interaction  # noqa: E402
from shoal.org.models import User  # noqa: E402

FILL_SQL = """
CREATE TEMP TABLE owned AS
    SELECT row_number() OVER (ORDER BY c.id) AS n, c.id, c.owner_id, u.department_id
    FROM customers_customer c JOIN org_user u ON u.id = c.owner_id WHERE c.deleted_at IS NULL;
ALTER TABLE activities_interaction SET UNLOGGED;
DROP INDEX IF EXISTS activities_inter_customer, activities_inter_user, activities_inter_time, activities_inter_dept;
INSERT INTO activities_interaction (created_at, updated_at, version, customer_id, contact_id, contact_name,
    channel, occurred_at, user_id, department_id, content, needs, quoted_price, concerns, next_step)
SELECT now(), now(), 1, o.id, NULL, '', (ARRAY['phone','visit','wechat','email','other'])[1 + (g % 5)],
       now() - (g % 63072000) * interval '1 second' - (g % 7) * interval '1 hour', o.owner_id, o.department_id,
       '电话沟通了报价和交期，客户需要内部讨论', '', NULL, '', ''
FROM generate_series(1, %(n)s) g
JOIN owned o ON o.n = 1 + ((g::bigint * 2654435761) %% %(owned)s);
ALTER TABLE activities_interaction SET LOGGED;
CREATE INDEX activities_inter_customer ON activities_interaction (customer_id, occurred_at DESC, id DESC);
CREATE INDEX activities_inter_user ON activities_interaction (user_id, occurred_at DESC, id DESC);
CREATE INDEX activities_inter_time ON activities_interaction (occurred_at DESC, id DESC);
CREATE INDEX activities_inter_dept ON activities_interaction (department_id, occurred_at DESC);
ANALYZE activities_interaction;
"""


def fill(n: int) -> None:
    """PostgreSQL only: one INSERT … SELECT, indexes rebuilt afterwards (the model's own names)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM customers_customer WHERE owner_id IS NOT NULL AND deleted_at IS NULL")
        owned = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute(FILL_SQL, {"n": n, "owned": owned})
        print(f"{n:,} interactions over {owned:,} customers in {time.perf_counter() - started:.0f} s")


def run(n: int) -> dict:
    rng = random.Random(7)
    reps = list(User.objects.filter(username__startswith="b_rep")[:50])
    manager = User.objects.filter(role__code="general_manager").first()
    clients = [signed_in(rep) for rep in reps]
    boss = signed_in(manager)
    department = reps[0].department_id

    def reqs(url_for) -> list:
        return [(rng.choice(clients), url_for(i)) for i in range(n)]

    customers = list(Interaction.objects.filter(user__in=reps).values_list("customer_id", flat=True).distinct()[:500])
    return {
        "rep_all_records_page": measure(reqs(lambda i: "/api/v1/interactions/")),
        "rep_all_records_page_5": measure(reqs(lambda i: "/api/v1/interactions/?page=5")),
        "rep_records_by_channel": measure(reqs(lambda i: "/api/v1/interactions/?channel=visit")),
        "customer_tab": measure(
            [(boss, f"/api/v1/interactions/?customer={customers[i % len(customers)]}") for i in range(n)]
        ),
        "manager_all_records_page": measure([(boss, "/api/v1/interactions/")] * n),
        "manager_records_by_department": measure([(boss, f"/api/v1/interactions/?department={department}")] * n),
        "manager_records_sorted_by_customer": measure([(boss, "/api/v1/interactions/?ordering=customer_name")] * n),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill", type=int, default=0, help="insert this many interactions first")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    if args.fill:
        fill(args.fill)
    print(f"{Interaction.objects.count():,} interactions; load {os.getloadavg()[0]:.2f}")
    for name, row in run(args.requests).items():
        print(f"{name:36} p50 {row['p50_ms']:7.1f} ms   p95 {row['p95_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
