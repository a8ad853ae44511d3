from django.db import models


class Permission(models.TextChoices):
    VIEW_STAFF = "org.view_staff"  # see the department tree and its members
    MANAGE_DEPARTMENTS = "org.manage_departments"  # ORG-1
    MANAGE_USERS = "org.manage_users"  # ORG-4
    MANAGE_ROLES = "org.manage_roles"  # ORG-2
