"""The quick-search index (GIN on PostgreSQL, FTS5 on SQLite; see core/search.py) and the default
stages of CUS-8."""

from django.db import migrations

from shoal.core.search import fts_create_sql, gin_create_sql

STAGES = [
    ("potential", "潜在客户", "#909399"),
    ("quasi_demand", "准需求客户", "#409EFF"),
    ("pending_deal", "待成交客户", "#E6A23C"),
    ("deal", "成交客户", "#67C23A"),
]


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(gin_create_sql("customers_customersearch", "customers_customersearch_gin"))
    elif vendor == "sqlite":
        schema_editor.execute(fts_create_sql("customers_customer_fts"))


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customers_customersearch_gin")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS customers_customer_fts")


def seed_stages(apps, schema_editor):
    Stage = apps.get_model("customers", "Stage")
    for position, (code, name, color) in enumerate(STAGES):
        Stage.objects.get_or_create(code=code, defaults={"name": name, "color": color, "position": position})


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(seed_stages, migrations.RunPython.noop),
    ]
