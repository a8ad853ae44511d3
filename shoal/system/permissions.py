from django.db import models


class Permission(models.TextChoices):
    MANAGE_DICTIONARY = "system.manage_dictionary"  # SYS-1
    MANAGE_PARAMETERS = "system.manage_parameters"  # SYS-2
