from django.db import models


class Permission(models.TextChoices):
    VIEW_POOL = "customer.view_pool"  # CUS-1 see the pool (public info only)
    CREATE = "customer.create"  # CUS-1/2 create into the pool, or create and claim
    CLAIM = "customer.claim"  # CUS-1
    EDIT = "customer.edit"  # CUS-2 edit base info and contacts of customers one may edit
    RETURN = "customer.return"  # CUS-2 give own customers back to the pool
    RECALL = "customer.recall"  # CUS-1/3 take claimed customers of one's scope back into the pool
    ASSIGN = "customer.assign"  # CUS-4
    SHARE = "customer.share"  # CUS-5
    PROMOTE = "customer.promote"  # CUS-8
    DELETE = "customer.delete"  # CUS-1 soft-delete unclaimed customers
    RESTORE = "customer.restore"  # CUS-15 bring deleted customers back
    MERGE = "customer.merge"  # CUS-6
    IMPORT = "customer.import"  # CUS-13
    EXPORT = "customer.export"  # CUS-13
    VIEW_ALL = "customer.view_all"  # "all customers" by role data scope, and every pool customer in full
    FORCE_DUPLICATE = "customer.force_duplicate"  # CUS-6 save an exact duplicate anyway
