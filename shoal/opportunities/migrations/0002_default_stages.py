from django.db import migrations

# SAL-1: the default pipeline; administrators edit it (opportunity-stages).
STAGES = [
    ("initial", "初步接洽", 10, "open", "#909399"),
    ("needs", "需求确认", 30, "open", "#409EFF"),
    ("proposal", "方案报价", 50, "open", "#409EFF"),
    ("negotiation", "商务谈判", 70, "open", "#E6A23C"),
    ("won", "赢单", 100, "won", "#67C23A"),
    ("lost", "输单", 0, "lost", "#F56C6C"),
]


def seed(apps, schema_editor):
    PipelineStage = apps.get_model("opportunities", "PipelineStage")
    for position, (code, name, probability, kind, color) in enumerate(STAGES):
        PipelineStage.objects.get_or_create(
            code=code,
            defaults={"name": name, "probability": probability, "kind": kind, "color": color, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
