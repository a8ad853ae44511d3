"""Realistic customer data for the benchmark (issue 4): Chinese company names, people, mobiles and
regions; 200 reps in a department tree; 5 contacts and 5 shares per 10 customers; a history row per
customer. PostgreSQL is loaded with COPY (indexes dropped during the load and rebuilt after).

    DATABASE_URL=postgres://…/shoal_bench python bench/generate.py 1000000
"""

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from shoal.core.search import search_document  # noqa: E402
from shoal.customers.models import Stage  # noqa: E402
from shoal.customers.selectors import name_key  # noqa: E402
from shoal.org.models import Department, Role, User  # noqa: E402
from shoal.org.services import role_sync_defaults  # noqa: E402
from shoal.system.services import dictionary_seed_defaults  # noqa: E402

BRAND_CHARS = (
    "华为中兴阿里腾讯百度京东美格力海尔联想小米万科恒达碧桂园绿地金山银河星光蓝天宏远鼎盛鑫隆瑞丰泰和昌盛"
    "永安嘉禾东方明珠长城黄河长江泰山峨眉天元博雅志诚信达汇通广源宝利富康佳乐新世纪光明正大锦绣前程"
    "龙腾凤翔鹏飞德润荣华安泰润发国际佳美欣悦云端智慧创新启航远景晨曦朝阳海纳百川卓越精工巨人"
)
INDUSTRY_WORDS = [
    "科技",
    "贸易",
    "电子",
    "机械",
    "建材",
    "食品",
    "物流",
    "医药",
    "化工",
    "服装",
    "软件",
    "信息",
    "文化",
    "传媒",
    "环保",
    "能源",
    "教育",
    "咨询",
    "餐饮",
    "家居",
    "汽车",
    "包装",
    "印刷",
    "纺织",
    "五金",
    "照明",
    "通信",
    "网络",
    "生物",
    "农业",
]
SUFFIXES = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "厂", "商行"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌辉鹏飞宇浩然子轩梓涵欣怡思远"
TITLES = ["总经理", "采购经理", "技术总监", "财务", "行政主管", "销售总监", "副总经理", "项目经理"]
REGIONS = [
    ("广州", "440000", "440100", ["440106", "440104"]),
    ("深圳", "440000", "440300", ["440305", "440304"]),
    ("杭州", "330000", "330100", ["330106", "330108"]),
    ("宁波", "330000", "330200", ["330212"]),
    ("上海", "310000", "310100", ["310115", "310104"]),
    ("北京", "110000", "110100", ["110105", "110108"]),
    ("南京", "320000", "320100", ["320106"]),
    ("苏州", "320000", "320500", ["320508"]),
    ("成都", "510000", "510100", ["510107"]),
    ("武汉", "420000", "420100", ["420111"]),
    ("济南", "370000", "370100", ["370102"]),
    ("青岛", "370000", "370200", ["370202"]),
]
AREA_CODES = {"广州": "020", "深圳": "0755", "杭州": "0571", "宁波": "0574", "上海": "021", "北京": "010"}
CATEGORIES = ["enterprise"] * 6 + ["government", "individual", "agent"]
INDUSTRIES = ["it", "manufacturing", "retail", "finance", "education", "healthcare", "construction", "logistics"]
LEVELS = ["a", "b", "b", "c", "c", "c"]
SOURCES = ["system", "system", "self_public", "self_social", "referral", "company", "csc"]

CUSTOMER_COLUMNS = [
    "id",
    "name",
    "short_name",
    "category",
    "industry",
    "level",
    "source",
    "stage_id",
    "intent_level",
    "province",
    "city",
    "district",
    "address",
    "phone",
    "mobile",
    "website",
    "remarks",
    "owner_id",
    "claimed_at",
    "last_followed_at",
    "follow_run_started_at",
    "primary_contact_name",
    "primary_contact_mobile",
    "name_key",
    "version",
    "created_at",
    "updated_at",
    "created_by_id",
]
CONTACT_COLUMNS = [
    "customer_id",
    "is_primary",
    "name",
    "title",
    "mobile",
    "phone",
    "email",
    "wechat",
    "qq",
    "remarks",
    "created_at",
    "updated_at",
]
SHARE_COLUMNS = ["customer_id", "user_id", "department_id", "access", "created_at", "updated_at", "created_by_id"]
SEARCH_COLUMNS = ["customer_id", "search_text", "search_tokens"]
EVENT_COLUMNS = ["customer_id", "actor_id", "action", "reason", "changes", "created_at"]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def company(rng: random.Random) -> tuple[str, str, tuple]:
    region = rng.choice(REGIONS)
    brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
    word = rng.choice(INDUSTRY_WORDS)
    prefix = region[0] + ("市" if rng.random() < 0.5 else "") if rng.random() < 0.6 else ""
    return f"{prefix}{brand}{word}{rng.choice(SUFFIXES)}", brand + word, region


def build_org(reps: int = 200) -> tuple[list[int], dict[int, int], list[int]]:
    """company → 4 regions → 5 departments → 2 teams; 5 reps per team (200), managers above."""
    dictionary_seed_defaults()
    role_sync_defaults()
    roles = {r.code: r for r in Role.objects.all()}
    password = make_password("Bench-pass-2026")
    root = Department.objects.create(name="基准测试公司")
    root.path = f"/{root.pk}/"
    root.save()
    users = []
    teams = []

    def add_user(username, name, role, department):
        user = User(
            username=username,
            name=name,
            role=roles[role],
            department=department,
            password=password,
            must_change_password=False,
        )
        users.append(user)
        return user

    rng = random.Random(7)
    add_user("b_gm", "总经理", "general_manager", root)
    for r in range(4):
        region = Department.objects.create(name=f"大区{r + 1}", parent=root)
        region.path = f"{root.path}{region.pk}/"
        region.save()
        add_user(f"b_region{r}", person(rng), "region_manager", region)
        for d in range(5):
            dept = Department.objects.create(name=f"销售{r + 1}-{d + 1}部", parent=region)
            dept.path = f"{region.path}{dept.pk}/"
            dept.save()
            add_user(f"b_dept{r}_{d}", person(rng), "department_manager", dept)
            for t in range(2):
                team = Department.objects.create(name=f"销售{r + 1}-{d + 1}-{t + 1}组", parent=dept)
                team.path = f"{dept.path}{team.pk}/"
                team.save()
                teams.append(team)
    n = 0
    while n < reps:
        team = teams[n % len(teams)]
        add_user(f"b_rep{n}", person(rng), "sales_rep", team)
        n += 1
    User.objects.bulk_create(users)
    for manager in User.objects.filter(username__startswith="b_").exclude(role__code="sales_rep"):
        Department.objects.filter(pk=manager.department_id).update(manager=manager)
    rep_rows = list(User.objects.filter(username__startswith="b_rep").values_list("pk", "department_id"))
    return [pk for pk, _d in rep_rows], dict(rep_rows), [t.pk for t in teams]


def make_chunk(args) -> tuple[list, list, list, list, list]:
    start, count, seed, rep_ids, team_ids, stage_ids, now_ts = args
    rng = random.Random(seed)
    now = datetime.fromtimestamp(now_ts, tz=UTC)
    customers, contacts, shares, events, documents = [], [], [], [], []
    for pk in range(start, start + count):
        name, short, region = company(rng)
        created = now - timedelta(days=rng.randrange(3 * 365), seconds=rng.randrange(86400))
        owner = rng.choice(rep_ids) if rng.random() < 0.7 else None
        cust_mobile = mobile(rng) if rng.random() < 0.8 else ""
        code = AREA_CODES.get(region[0])
        phone = f"{code}-{rng.randrange(10**7, 10**8)}" if code and rng.random() < 0.5 else ""
        people = []
        if rng.random() < 0.5:  # 5 contacts per 10 customers
            people.append((person(rng), mobile(rng)))
        followed = created + timedelta(days=rng.randrange(30)) if owner and rng.random() < 0.6 else None
        text, tokens = search_document(
            texts=[name, short, *(p[0] for p in people)],
            phones=[phone, cust_mobile, *(p[1] for p in people)],
        )
        customers.append(
            (
                pk,
                name,
                short,
                rng.choice(CATEGORIES),
                rng.choice(INDUSTRIES),
                rng.choice(LEVELS),
                rng.choice(SOURCES),
                rng.choice(stage_ids),
                rng.choice((None, -1, 0, 1, 1, 2, 2, 3, 4)),
                region[1],
                region[2],
                rng.choice(region[3]),
                f"{region[0]}市{rng.choice(BRAND_CHARS)}{rng.choice(BRAND_CHARS)}路{rng.randrange(1, 999)}号",
                phone,
                cust_mobile,
                "",
                "",
                owner,
                created if owner else None,
                followed,
                followed,
                people[0][0] if people else "",
                people[0][1] if people else "",
                name_key(name),
                1,
                created,
                created,
                owner,
            )
        )
        for i, (pname, pmobile) in enumerate(people):
            contacts.append((pk, i == 0, pname, rng.choice(TITLES), pmobile, "", "", "", "", "", created, created))
        if rng.random() < 0.5:  # 5 shares per 10 customers
            if rng.random() < 0.9:
                shares.append((pk, rng.choice(rep_ids), None, "read", created, created, owner))
            else:
                shares.append((pk, None, rng.choice(team_ids), "read", created, created, owner))
        events.append((pk, owner, "create", "", "{}", created))
        documents.append((pk, text, tokens))
    return customers, contacts, shares, events, documents


def _indexes(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.indexname NOT IN "
            "(SELECT conname FROM pg_constraint)",
            [table],
        )
        return cursor.fetchall()


def _copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


def generate(total: int, chunk: int = 20_000) -> dict:
    started = time.monotonic()
    pg = connection.vendor == "postgresql"
    with transaction.atomic():
        rep_ids, _rep_departments, team_ids = build_org()
    stage_ids = list(Stage.objects.values_list("pk", flat=True))
    dropped = []
    tables = [
        "customers_customer",
        "customers_customersearch",
        "customers_contact",
        "customers_share",
        "customers_customerevent",
    ]
    if pg:
        for table in tables:
            for name, definition in _indexes(table):
                dropped.append(definition)
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP INDEX "{name}"')
    if pg:  # the owner tally is rebuilt in one statement after the load, not by a trigger per row
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE customers_customer DISABLE TRIGGER customers_owner_tally")
    load = _copy if pg else _insert
    now_ts = timezone.now().timestamp()
    jobs = [
        (start, min(chunk, total - start + 1), start, rep_ids, team_ids, stage_ids, now_ts)
        for start in range(1, total + 1, chunk)
    ]
    counts = {"customers": 0, "contacts": 0, "shares": 0, "events": 0}
    with Pool(max(os.cpu_count() or 1, 1)) as pool:
        for customers, contacts, shares, events, documents in pool.imap(make_chunk, jobs):
            with transaction.atomic():
                load("customers_customer", CUSTOMER_COLUMNS, customers)
                load("customers_customersearch", SEARCH_COLUMNS, documents)
                load("customers_contact", CONTACT_COLUMNS, contacts)
                load("customers_share", SHARE_COLUMNS, shares)
                load("customers_customerevent", EVENT_COLUMNS, events)
            counts["customers"] += len(customers)
            counts["contacts"] += len(contacts)
            counts["shares"] += len(shares)
            counts["events"] += len(events)
            print(f"  {counts['customers']:>9,} customers  {time.monotonic() - started:6.0f}s", flush=True)
    loaded = time.monotonic()
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET max_parallel_maintenance_workers = 2")
            for definition in dropped:
                cursor.execute(definition)
            cursor.execute("SELECT setval(pg_get_serial_sequence('customers_customer', 'id'), %s)", [total])
            cursor.execute("ALTER TABLE customers_customer ENABLE TRIGGER customers_owner_tally")
            cursor.execute(
                "INSERT INTO customers_ownertally (user_id, owned) SELECT owner_id, count(*) FROM customers_customer "
                "WHERE owner_id IS NOT NULL AND deleted_at IS NULL GROUP BY owner_id "
                "ON CONFLICT (user_id) DO UPDATE SET owned = EXCLUDED.owned"
            )
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            from shoal.core.search import search_index_write
            from shoal.customers.models import FTS_TABLE

            cursor.execute("SELECT customer_id, search_tokens FROM customers_customersearch")
            search_index_write(FTS_TABLE, cursor.fetchall())
    finished = time.monotonic()
    return {
        **counts,
        "reps": len(rep_ids),
        "load_seconds": round(loaded - started, 1),
        "index_seconds": round(finished - loaded, 1),
        "total_seconds": round(finished - started, 1),
    }


if __name__ == "__main__":
    from shoal.system.models import Parameter

    wanted = int(sys.argv[1])
    if Parameter.objects.filter(key="bench.generation").exists():
        print(f"already generated: {Parameter.objects.get(key='bench.generation').value}")
    else:
        result = generate(wanted)
        Parameter.objects.create(key="bench.generation", value=result)
        print(result)
