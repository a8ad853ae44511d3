from django.db import models


class Permission(models.TextChoices):
    VIEW = "sales.view"  # SAL-1…7 see opportunities, contracts, receivables of visible customers
    EDIT = "sales.edit"  # SAL-1/6/7 open and work opportunities, contracts, plans and payments
    MANAGE_PIPELINE = "sales.manage_pipeline"  # SAL-1 edit the stages of the pipeline
    RESOLVE_CONFLICTS = "sales.resolve_conflicts"  # SAL-2 decide who keeps a contested customer
