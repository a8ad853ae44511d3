from django.db import models


class Permission(models.TextChoices):
    # SAL-3: everyone with sales.view sees the catalogue (to quote from it); managers maintain it.
    MANAGE_PRODUCTS = "sales.manage_products"  # create, edit, activate/deactivate products and categories
