import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from shoal.core.models import TimeStampedModel, VersionedModel


class DataScope(models.TextChoices):
    SELF = "self", "本人"  # only records the user owns
    SUBORDINATES = "subordinates", "本人及下属"  # plus those of everyone below them in the superior chain
    DEPARTMENT = "department", "本部门"  # everyone in the user's own department
    DEPARTMENT_TREE = "department_tree", "本部门及下级部门"  # the department and all below it
    ALL = "all", "全部"  # the whole company


class RoleCode(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    GENERAL_MANAGER = "general_manager", "总经理"
    REGION_MANAGER = "region_manager", "区域经理"
    DEPARTMENT_MANAGER = "department_manager", "部门经理"
    SALES_REP = "sales_rep", "销售代表"
    CUSTOMER_SERVICE = "customer_service", "客服专员"
    TECHNICIAN = "technician", "服务技术员"
    MARKETING = "marketing", "市场专员"


class Role(VersionedModel):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=50)
    data_scope = models.CharField(max_length=20, choices=DataScope.choices, default=DataScope.SELF)
    permissions = models.JSONField(default=list, blank=True)
    is_system = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Department(VersionedModel):
    name = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    manager = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_departments"
    )
    # Materialised path "/1/4/9/" so a subtree is one indexed prefix query (ORG-1, data scopes).
    path = models.CharField(max_length=500, db_index=True, editable=False, default="/")
    position = models.IntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_department_unique_sibling_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ShoalUserManager(UserManager):
    pass


class User(AbstractUser):
    name = models.CharField(max_length=50, blank=True)
    mobile = models.CharField(max_length=20, blank=True, default="")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    # Explicit superior; when empty the department's manager (or the nearest one above) is the superior.
    superior = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    status = models.CharField(max_length=50, default="working")  # ORG-5, a code of dictionary kind employee_status
    language = models.CharField(max_length=10, default="zh-hans")
    must_change_password = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "updated_at"])

    objects = ShoalUserManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="org_user_unique_mobile"),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def permission_codes(self) -> frozenset[str]:
        # Cached on the instance: one request, one role read.
        if not hasattr(self, "_permission_codes"):
            from shoal.core.permissions import all_permission_codes

            if not self.is_active or self.role is None:
                codes: frozenset[str] = frozenset()
            elif self.role.code == RoleCode.ADMIN:
                codes = frozenset(all_permission_codes())
            else:
                codes = frozenset(self.role.permissions)
            self._permission_codes = codes
        return self._permission_codes

    def has_permission(self, code: str) -> bool:
        return code in self.permission_codes()

    @property
    def data_scope(self) -> str:
        if self.role is None:
            return DataScope.SELF
        return self.role.data_scope


class DepartmentMove(models.Model):
    """ORG-4 员工变动: a user moved from one department to another."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="moves")
    from_department = models.ForeignKey(Department, null=True, on_delete=models.SET_NULL, related_name="+")
    to_department = models.ForeignKey(Department, null=True, on_delete=models.SET_NULL, related_name="+")
    moved_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-moved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} → {self.to_department}"


class ApiToken(TimeStampedModel):
    """A personal API token; only its hash is stored, the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=8)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.name or self.key_prefix}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
