from django.db import models


class Permission(models.TextChoices):
    BACKUP = "system.backup"  # SYS-3: list, create and download backups
