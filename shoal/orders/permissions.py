from django.db import models


class Permission(models.TextChoices):
    # The sales area's two everyday codes (ORG-2 roles grant sales.view/sales.edit to reps, sales.* to managers).
    VIEW = "sales.view"  # SAL-3/4/5 see the product catalogue and the quotes/orders of visible customers
    EDIT = "sales.edit"  # SAL-4/5 create and edit quotes and orders, record shipments and receipts
    CANCEL_ORDERS = "sales.cancel_orders"  # SAL-5 cancel an order (kept with its reason)
