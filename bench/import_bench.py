"""CUS-13 target: 100,000 customers import from a file in ≤ 60 s with flat memory (issue 5).

Writes a realistic file (GBK CSV by default, or .xlsx) of N rows — company names, contacts, mobiles,
phones, tags, some bad rows and in-file duplicates — and runs the import job body in this process,
as the worker would. Measures the job's wall time and the process's peak resident memory above the
baseline, for a small file and the full one: flat memory means the two peaks are about the same.
Results: bench/results/import-<date>.json and .md.

    DATABASE_URL=postgres://…/shoal_bench_10k python bench/import_bench.py --rows 100000 --format csv
"""

import argparse
import csv
import json
import os
import platform
import random
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

from shoal.customers import imports  # noqa: E402
from shoal.customers.models import Customer  # noqa: E402
from shoal.jobs.models import JobStatus  # noqa: E402
from shoal.jobs.services import job_run  # noqa: E402
from shoal.org.models import User  # noqa: E402
from shoal.org.services import role_sync_defaults  # noqa: E402
from shoal.system.services import dictionary_seed_defaults  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 60
BRAND = "华中兴阿里腾讯百度京东美格力海尔联想小米万科恒达碧桂园绿地金山银河星光蓝天宏远鼎盛鑫隆瑞丰泰和昌盛永安嘉禾东方明珠长城"
WORDS = ["科技", "贸易", "电子", "机械", "建材", "食品", "物流", "医药", "化工", "服装", "软件", "信息", "文化", "传媒"]
CITIES = ["深圳", "广州", "上海", "北京", "杭州", "成都", "武汉", "南京", "苏州", "西安"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
SOURCES = ["公司资源", "系统客户", "老客户转介绍", "CSC网单"]
TAGS = ["重点", "华南", "华东", "展会", "老客户", "VIP"]
HEADERS = ["客户名称", "联系人", "联系人手机", "电话", "地址", "客户来源", "行业", "标签", "备注"]


def rows(n: int, seed: int):
    rng = random.Random(seed)
    for i in range(n):
        if i and i % 500 == 0:
            yield ["", "无名", "13800000000", "", "", "", "", "", ""]  # missing name
            continue
        city = rng.choice(CITIES)
        name = f"{city}{''.join(rng.sample(BRAND, 2))}{rng.choice(WORDS)}{seed}{i:06d}有限公司"
        if i and i % 997 == 0:
            name = f"{city}重复{seed}{i - 1:06d}有限公司"  # in-file duplicates come in pairs below
        mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if i % 300 else "12345"
        yield [
            name,
            rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
            mobile,
            f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}",
            f"{city}市某某区某某路{rng.randrange(1, 999)}号",
            rng.choice(SOURCES),
            rng.choice(["信息技术", "制造业", "批发零售", ""]),
            ",".join(rng.sample(TAGS, rng.randrange(0, 3))),
            "展会名单导入",
        ]


def write_file(path: Path, fmt: str, n: int, seed: int) -> None:
    if fmt == "csv":
        with open(path, "w", encoding="gbk", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADERS)
            writer.writerows(rows(n, seed))
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(HEADERS)
    for row in rows(n, seed):
        sheet.append(row)
    book.save(path)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


class PeakRss:
    def __init__(self):
        self.base = rss_mb()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def importer() -> User:
    role_sync_defaults()
    dictionary_seed_defaults()
    from shoal.org.models import Role

    user, _created = User.objects.get_or_create(
        username="bench_importer", defaults={"name": "导入基准", "role": Role.objects.get(code="marketing")}
    )
    return user


def run_once(user: User, fmt: str, n: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench.{fmt}"
        write_file(path, fmt, n, seed)
        size = path.stat().st_size
        before = Customer.objects.count()
        with PeakRss() as memory:
            started, cpu = time.perf_counter(), time.process_time()
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            job = imports.import_upload(actor=user, fileobj=upload, filename=path.name, size=size)
            imports.import_start(actor=user, job=job, data={})
            uploaded = time.perf_counter() - started
            job = job_run(job.pk)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
        assert job.status == JobStatus.DONE, job.error
        return {
            "rows": n,
            "format": fmt,
            "file_mb": round(size / 1024 / 1024, 1),
            "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),  # this process only: the database works on its own cores
            "upload_seconds": round(uploaded, 1),
            "rows_per_second": round(n / seconds),
            "created": Customer.objects.count() - before,
            "result": job.result,
            "peak_rss_above_start_mb": round(memory.peak - memory.base, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    settings.MEDIA_ROOT = tempfile.mkdtemp()
    user = importer()
    seed = int(time.time()) % 100_000  # fresh names each run (a re-run would only skip them)
    small = run_once(user, args.format, max(1000, args.rows // 10), seed)
    full = run_once(user, args.format, args.rows, seed + 1)
    entry = {
        "database": connection.vendor,
        "existing_customers": Customer.objects.count() - small["created"] - full["created"],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],  # a shared machine: wall time includes waiting for a CPU
        "target_seconds": TARGET_SECONDS,
        "small": small,
        "full": full,
        "ok": full["seconds"] <= TARGET_SECONDS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    today = date.today().isoformat()
    json_path, md_path = RESULTS / f"import-{today}.json", RESULTS / f"import-{today}.md"
    everything = json.loads(json_path.read_text()) if json_path.exists() else {}
    everything[f"{args.format}-{args.rows}"] = entry
    json_path.write_text(json.dumps(everything, ensure_ascii=False, indent=2) + "\n")
    lines = [
        f"# Customer import benchmark {today}",
        "",
        "| file | rows | database | seconds (target ≤ 60) | CPU s (Python) | rows/s | created | failed | peak RSS above start | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in everything.values():
        for run in (e["small"], e["full"]):
            lines.append(
                f"| {run['format']} {run['file_mb']} MB | {run['rows']:,} | {e['database']} ({e['existing_customers']:,} "
                f"existing) | {run['seconds']} | {run.get('cpu_seconds', '—')} | {run['rows_per_second']:,} | {run['created']:,} | "
                f"{run['result']['failed']:,} | {run['peak_rss_above_start_mb']} MB | {e.get('load_average', 0):.1f} |"
            )
    md_path.write_text("\n".join(lines) + "\n")
    print(json.dumps(entry, ensure_ascii=False, indent=2))
    if not entry["ok"]:
        sys.exit(f"!! {args.rows} rows took {full['seconds']} s (target {TARGET_SECONDS} s)")


if __name__ == "__main__":
    main()
