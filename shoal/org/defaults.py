"""Built-in roles and their default permission sets (ORG-2). Administrators may edit them later."""

from shoal.org.models import DataScope, RoleCode

# Codes a domain app declares later are added to these roles by role_sync_defaults() the first time
# that code is seen, so an administrator's own edits of older codes are never overwritten.
ROLE_DEFAULTS: dict[str, dict] = {
    RoleCode.ADMIN: {"name": "系统管理员", "data_scope": DataScope.ALL, "permissions": ["*"]},
    RoleCode.GENERAL_MANAGER: {
        "name": "总经理",
        "data_scope": DataScope.ALL,
        "permissions": [
            "org.view_staff",
            "customer.*",
            "activity.*",
            "sales.*",
            "system.manage_parameters",
            "calls.manage_talk_scripts",
        ],
    },
    RoleCode.REGION_MANAGER: {
        "name": "区域经理",
        "data_scope": DataScope.DEPARTMENT_TREE,
        "permissions": ["org.view_staff", "customer.*", "activity.*", "sales.*", "calls.manage_talk_scripts"],
    },
    RoleCode.DEPARTMENT_MANAGER: {
        "name": "部门经理",
        "data_scope": DataScope.DEPARTMENT_TREE,
        "permissions": ["org.view_staff", "customer.*", "activity.*", "sales.*", "calls.manage_talk_scripts"],
    },
    RoleCode.SALES_REP: {
        "name": "销售代表",
        "data_scope": DataScope.SELF,
        "permissions": [
            "customer.view_pool",
            "customer.create",
            "customer.claim",
            "customer.edit",
            "customer.return",
            "customer.share",
            "customer.promote",
            "customer.export",  # CUS-13: a rep exports the lists they see (only what they may see)
            "customer.lock",
            "activity.*",
            "sales.view",
            "sales.edit",
        ],
    },
    RoleCode.CUSTOMER_SERVICE: {
        "name": "客服专员",
        "data_scope": DataScope.DEPARTMENT,
        "permissions": ["customer.view_pool", "activity.*", "service.*"],
    },
    RoleCode.TECHNICIAN: {
        "name": "服务技术员",
        "data_scope": DataScope.SELF,
        "permissions": ["service.handle"],
    },
    RoleCode.MARKETING: {
        "name": "市场专员",
        "data_scope": DataScope.DEPARTMENT,
        # 001 §5 case 1.2: marketing enters new prospects into the pool.
        "permissions": ["customer.view_pool", "customer.create", "customer.import", "messaging.*"],
    },
}


def expand(patterns: list[str], known: list[str]) -> set[str]:
    """Expand ``customer.*`` style patterns against the codes the apps declare."""
    codes: set[str] = set()
    for pattern in patterns:
        if pattern == "*":
            codes.update(known)
        elif pattern.endswith(".*"):
            codes.update(c for c in known if c.startswith(pattern[:-1]))
        elif pattern in known:
            codes.add(pattern)
    return codes
