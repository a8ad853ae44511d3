from django.db import models


class Permission(models.TextChoices):
    # sales.view / sales.edit are declared once, in shoal.opportunities.permissions.
    WRITE_OFF = "sales.write_off"  # SAL-7 write off a bad debt (manager)
