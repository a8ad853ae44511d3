"""ACT-4: a starter set of talk scripts, so the call page is useful before managers write their own."""

from django.db import migrations


def seed(apps, schema_editor):
    from shoal.calls.defaults import TALK_SCRIPTS

    TalkScript = apps.get_model("calls", "TalkScript")
    if TalkScript.objects.exists():
        return
    TalkScript.objects.bulk_create(
        TalkScript(kind=kind, category=category, title=title, content=content, position=n)
        for n, (kind, category, title, content) in enumerate(TALK_SCRIPTS)
    )


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
