from django.db import models


class Permission(models.TextChoices):
    CALL = "activity.call"  # ACT-4/6: lease numbers, annotate calls, mark numbers invalid
    MANAGE_TALK_SCRIPTS = "calls.manage_talk_scripts"  # ACT-4: edit talk scripts and objection answers
