"""Measures server time of the customer endpoints on generated data (issue 4 targets) and the
throughput of 50 reps claiming from 1,000 unclaimed customers at once.

    DATABASE_URL=postgres://…/shoal_bench_1m python bench/run.py --scale 1m

Server time = the whole Django request (middleware, auth, selector, serializer) in process, without
the network. Results go to bench/results/<date>.json (one entry per scale) and <date>.md.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import threading
import time
from datetime import date
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from shoal.core.search import pinyin_initials  # noqa: E402
from shoal.customers import services  # noqa: E402
from shoal.customers.models import Customer, CustomerEvent, Stage  # noqa: E402
from shoal.customers.selectors import name_key  # noqa: E402
from shoal.org.models import User  # noqa: E402
from shoal.system.models import Parameter  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGETS_MS = {
    "my_customers_page": 50,
    "my_customers_by_days_left": 50,
    "pool_page": 50,
    "pool_page_sorted_by_name": None,
    "search_2char_chinese": 50,
    "search_phone_4digits": 50,
    "search_pinyin_initials": 50,
    "search_pinyin_2letters": None,
    "search_common_word": None,
    "manager_all_customers_page": None,
    "rep_all_customers_page": None,
    "rep_shared_customers_page": None,
    "duplicate_check": 100,
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure(requests: list, warmup: int = 5) -> dict:
    for client, url in requests[:warmup]:
        client.get(url)
    times = []
    for client, url in requests:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} → {response.status_code}: {response.content[:300]!r}")
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "mean_ms": round(statistics.mean(times), 1),
    }


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def list_benchmarks(n: int, only: tuple[str, ...] | None = None) -> dict:
    rng = random.Random(11)
    reps = list(User.objects.filter(username__startswith="b_rep"))
    manager = User.objects.filter(username__startswith="b_dept").first()
    clients = {rep.pk: signed_in(rep) for rep in rng.sample(reps, min(20, len(reps)))}
    manager_client = signed_in(manager)
    pick = list(clients.values())
    sample = list(
        Customer.objects.filter(
            pk__in=[rng.randrange(1, Customer.objects.order_by("-pk").first().pk) for _ in range(400)]
        ).values("short_name", "mobile", "name")
    )
    brands = [s["short_name"][:2] for s in sample if s["short_name"]]
    digits = [s["mobile"][rng.randrange(3, 7) :][:4] for s in sample if s["mobile"]]
    initials = [pinyin_initials(s["short_name"])[:4] for s in sample if s["short_name"]]

    def reqs(url_for) -> list:
        return [(rng.choice(pick), url_for(i)) for i in range(n)]

    if only:  # a subset, measured the same way (bench/pools.py --update-results)
        urls = {
            "my_customers_page": lambda i: "/api/v1/customers/?view=mine",
            "my_customers_by_days_left": lambda i: "/api/v1/customers/?view=mine&ordering=days_left",
        }
        return {name: measure(reqs(urls[name])) for name in only}
    results = {
        "my_customers_page": measure(reqs(lambda i: "/api/v1/customers/?view=mine")),
        # CUS-1 pool rules: the 剩余天数 (days until auto-return) column, sorted.
        "my_customers_by_days_left": measure(reqs(lambda i: "/api/v1/customers/?view=mine&ordering=days_left")),
        "pool_page": measure(reqs(lambda i: f"/api/v1/pool/?page={rng.randrange(1, 20)}")),
        "pool_page_sorted_by_name": measure(reqs(lambda i: "/api/v1/pool/?ordering=name")),
        "search_2char_chinese": measure(reqs(lambda i: f"/api/v1/pool/?q={brands[i % len(brands)]}")),
        "search_phone_4digits": measure(reqs(lambda i: f"/api/v1/pool/?q={digits[i % len(digits)]}")),
        "search_pinyin_initials": measure(reqs(lambda i: f"/api/v1/pool/?q={initials[i % len(initials)]}")),
        "search_pinyin_2letters": measure(reqs(lambda i: f"/api/v1/pool/?q={initials[i % len(initials)][:2]}")),
        "search_common_word": measure(reqs(lambda i: "/api/v1/pool/?q=科技")),
        "manager_all_customers_page": measure([(manager_client, "/api/v1/customers/?view=all")] * n),
        "rep_all_customers_page": measure(reqs(lambda i: "/api/v1/customers/?view=all")),
        "rep_shared_customers_page": measure(reqs(lambda i: "/api/v1/customers/?view=shared")),
    }
    from bench.generate import company, mobile

    names = [company(rng)[0] for _ in range(n)]
    results["duplicate_check"] = measure(
        [(rng.choice(pick), f"/api/v1/customers/duplicates/?name={names[i]}&phone={mobile(rng)}") for i in range(n)]
    )
    return results


# ---------------------------------------------------------------- the claim race


def _claim_worker(args) -> tuple[int, int, int]:
    """One process of reps. Like a rep at the pool page, each looks up what is still unclaimed, picks
    one at random and claims it — so collisions happen when two reps pick the same one."""
    rep_ids, first, last, start_at, seed = args
    connections.close_all()
    rng = random.Random(seed)
    counts = {"won": 0, "lost": 0, "errors": 0}
    lock = threading.Lock()

    def run(rep_id: int) -> None:
        rep = User.objects.get(pk=rep_id)
        unclaimed = Customer.objects.filter(pk__gte=first, pk__lte=last, owner__isnull=True)
        while time.time() < start_at:
            time.sleep(0.001)
        try:
            # What the rep sees as free (the pool page), refreshed whenever a claim loses a race.
            free: list[int] = []
            while True:
                if not free:
                    free = list(unclaimed.values_list("pk", flat=True))
                    rng.shuffle(free)
                    if not free:
                        return
                result = services.customer_claim(actor=rep, ids=[free.pop()])
                with lock:
                    counts["won" if result.succeeded else "lost"] += 1
                if not result.succeeded:
                    free = []
        except Exception:  # noqa: BLE001 — counted and reported, never hidden
            counts["errors"] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(rep_id,)) for rep_id in rep_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["won"], counts["lost"], counts["errors"]


def claim_benchmark(reps: int = 50, customers: int = 1000, processes: int = 2, limit: int = 0) -> dict:
    """50 reps (threads spread over processes, one connection each) claim 1,000 unclaimed customers;
    with ``limit`` the pool rules are checked on every claim (daily claim and holding limits: lock,
    counter, count) and the countdown set."""
    from shoal.pools.models import PoolRules
    from shoal.pools.selectors import default_pool

    rules = PoolRules.objects.get_or_create(pool=default_pool())[0]
    fields = ("auto_return", "daily_claim", "daily_claim_limit", "holding", "holding_limit", "cooldown")
    saved = {f: getattr(rules, f) for f in fields}
    if limit:  # auto-return as bench/pools.py left it (on), plus the claim rules
        PoolRules.objects.filter(pk=rules.pk).update(
            daily_claim=True, daily_claim_limit=limit, holding=True, holding_limit=limit, cooldown=True
        )
    else:  # a fresh install: no rule switched on, the one-statement claim
        PoolRules.objects.filter(pk=rules.pk).update(
            auto_return=False, daily_claim=False, holding=False, cooldown=False
        )
    stage = Stage.objects.order_by("position").first()
    rows = []
    for i in range(customers):
        name = f"抢领测试{time.time_ns()}{i}有限公司"
        rows.append(Customer(name=name, source="system", stage=stage, name_key=name_key(name)))
    ids = [c.pk for c in Customer.objects.bulk_create(rows)]
    rep_ids = list(User.objects.filter(username__startswith="b_rep").values_list("pk", flat=True)[:reps])
    groups = [rep_ids[i::processes] for i in range(processes)]
    connections.close_all()
    start_at = time.time() + 3
    with get_context("fork").Pool(processes) as pool:
        outcomes = pool.map(_claim_worker, [(g, min(ids), max(ids), start_at, i) for i, g in enumerate(groups)])
    elapsed = time.time() - start_at
    claimed = Customer.objects.filter(pk__in=ids, owner__isnull=False).count()
    events = list(
        CustomerEvent.objects.filter(customer_id__in=ids, action="claim").values_list("customer_id", "actor_id")
    )
    per_customer: dict[int, int] = {}
    for customer_id, _actor in events:
        per_customer[customer_id] = per_customer.get(customer_id, 0) + 1
    owners = dict(Customer.objects.filter(pk__in=ids).values_list("pk", "owner_id"))
    mismatched = sum(1 for customer_id, actor in events if owners[customer_id] != actor)
    PoolRules.objects.filter(pk=rules.pk).update(**saved)
    won = sum(o[0] for o in outcomes)
    return {
        "claim_limit": limit,
        "pool_rules": bool(limit),
        "reps": len(rep_ids),
        "processes": processes,
        "customers": customers,
        "claimed": claimed,
        "successful_claims": won,
        "refused_already_claimed": sum(o[1] for o in outcomes),
        "errors": sum(o[2] for o in outcomes),
        "double_claims": sum(1 for n in per_customer.values() if n > 1) + mismatched,
        "seconds": round(elapsed, 2),
        "claims_per_second": round(won / elapsed, 1) if elapsed > 0 else None,
    }


# ---------------------------------------------------------------- report


def write_report(scale: str, result: dict) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    today = date.today().isoformat()
    json_path, md_path = RESULTS / f"{today}.json", RESULTS / f"{today}.md"
    everything = json.loads(json_path.read_text()) if json_path.exists() else {}
    everything[scale] = result
    json_path.write_text(json.dumps(everything, ensure_ascii=False, indent=2) + "\n")
    lines = [f"# Shoal benchmark {today}", ""]
    for name, entry in everything.items():
        meta = entry["meta"]
        lines += [
            f"## {name}: {meta['customers']:,} customers on {meta['database']}",
            "",
            f"{meta['machine']}. Server time in process (no network), {entry['lists']['pool_page']['n']} requests each. "
            f"Load average before/after: {meta.get('load_average_1m', '?')}.",
            "",
            "| measurement | p50 ms | p95 ms | target p95 | met |",
            "|---|---:|---:|---:|:---:|",
        ]
        for key, row in entry["lists"].items():
            target = TARGETS_MS.get(key)
            met = "" if target is None else ("yes" if row["p95_ms"] <= target else "**no**")
            lines.append(f"| {key} | {row['p50_ms']} | {row['p95_ms']} | {target or '—'} | {met} |")
        lines.append("")
        for claims in entry["claims"] if isinstance(entry["claims"], list) else [entry["claims"]]:
            limit = claims.get("claim_limit")
            if "pool_rules" in claims:
                what = (
                    "pool rules on: auto-return countdown, daily and holding limits, cool-down"
                    if limit
                    else "no pool rules (a fresh install)"
                )
            else:  # results from before the pool rules (issue 6)
                what = "claim limit checked on every claim" if limit else "no claim limit (the default)"
            lines += [
                f"Claim race ({what}): "
                f"{claims['reps']} reps over {claims['processes']} processes, {claims['customers']:,} unclaimed: "
                f"**{claims['claims_per_second']} claims/s** (target ≥ 500), {claims['double_claims']} double claims, "
                f"{claims['refused_already_claimed']} refused as already claimed, {claims['errors']} errors, "
                f"{claims['seconds']} s.",
                "",
            ]
        if entry.get("pools"):
            from bench.pools import report_lines

            lines += report_lines(entry["pools"])
        if entry.get("generation"):
            g = entry["generation"]
            lines += [
                f"Data: {g.get('customers', 0):,} customers, {g.get('contacts', 0):,} contacts, {g.get('shares', 0):,} "
                f"shares, {g.get('events', 0):,} history rows, {g.get('reps', 0)} reps; generated in "
                f"{g.get('total_seconds')} s (load {g.get('load_seconds')} s, indexes {g.get('index_seconds')} s).",
                "",
            ]
    md_path.write_text("\n".join(lines))
    return json_path, md_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="10k")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    from bench.pools import pool_benchmark

    pools = pool_benchmark()  # first: it sets the countdowns the days-left list sorts by
    lists = list_benchmarks(args.requests)
    claims = [claim_benchmark(), claim_benchmark(limit=100_000)]
    result = {
        "meta": {
            "customers": Customer.objects.count(),
            "database": f"{connection.vendor} {connection.cursor().connection.info.server_version if connection.vendor == 'postgresql' else ''}".strip(),
            "machine": f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}",
            "at": timezone.now().isoformat(),
            # Other work on the machine shows up in the numbers; the 1-minute load says how much.
            "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
        "lists": lists,
        "claims": claims,
        "pools": pools,
        "generation": Parameter.objects.filter(key="bench.generation").values_list("value", flat=True).first(),
    }
    json_path, md_path = write_report(args.scale, result)
    print(md_path.read_text())
    print(f"written: {json_path} {md_path}")


if __name__ == "__main__":
    main()
