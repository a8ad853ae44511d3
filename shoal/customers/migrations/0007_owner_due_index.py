"""CUS-1 pool rules: 我的客户 sorted by 剩余天数 (soonest first, customers without a countdown last)
walks this index instead of sorting everything the owner holds. PostgreSQL only (SQLite cannot
index NULLS LAST; small installs sort in memory)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS customers_owner_due ON customers_customer "
    "(owner_id, return_due_at ASC NULLS LAST, id DESC) WHERE deleted_at IS NULL"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customers_owner_due")


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_pool_rules")]

    operations = [migrations.RunPython(create, drop)]
