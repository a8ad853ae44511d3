"""The demo organisation loaded by `make run` on first run (unless SHOAL_DEMO=0) and `make demo`."""

from django.db import transaction

from shoal.org.models import Department, Role, User

COMPANY = "星河贸易有限公司"

# (path of department names, manager username)
DEPARTMENTS = [
    ((COMPANY,), "wangzong"),
    ((COMPANY, "华东大区"), "lihua"),
    ((COMPANY, "华南大区"), "zhaoqiang"),
    ((COMPANY, "华东大区", "上海销售一部"), "chenjing"),
    ((COMPANY, "华东大区", "杭州销售二部"), None),
    ((COMPANY, "华南大区", "广州销售三部"), "liuyang"),
    ((COMPANY, "华南大区", "客户服务部"), None),
]

# username, name, role code, department path, mobile
USERS = [
    ("wangzong", "王总", "general_manager", (COMPANY,), "13800000001"),
    ("lihua", "李华", "region_manager", (COMPANY, "华东大区"), "13800000002"),
    ("zhaoqiang", "赵强", "region_manager", (COMPANY, "华南大区"), "13800000003"),
    ("chenjing", "陈静", "department_manager", (COMPANY, "华东大区", "上海销售一部"), "13800000004"),
    ("liuyang", "刘洋", "department_manager", (COMPANY, "华南大区", "广州销售三部"), "13800000005"),
    ("zhangsan", "张三", "sales_rep", (COMPANY, "华东大区", "上海销售一部"), "13800000006"),
    ("lisi", "李四", "sales_rep", (COMPANY, "华东大区", "上海销售一部"), "13800000007"),
    ("wangwu", "王五", "sales_rep", (COMPANY, "华东大区", "杭州销售二部"), "13800000008"),
    ("zhaoliu", "赵六", "sales_rep", (COMPANY, "华南大区", "广州销售三部"), "13800000009"),
    ("sunli", "孙丽", "customer_service", (COMPANY, "华南大区", "客户服务部"), "13800000010"),
    ("zhoujie", "周杰", "technician", (COMPANY, "华南大区", "客户服务部"), "13800000011"),
    ("wufang", "吴芳", "marketing", (COMPANY,), "13800000012"),
]


@transaction.atomic
def demo_org_create(*, password: str) -> None:
    """Create the demo company; demo users may sign in at once (no forced change)."""
    departments: dict[tuple, Department] = {}
    for names, _manager in DEPARTMENTS:
        parent = departments.get(names[:-1])
        department, _ = Department.objects.get_or_create(name=names[-1], parent=parent)
        department.path = f"{parent.path if parent else '/'}{department.pk}/"
        department.position = len([n for n in departments if n[:-1] == names[:-1]])
        department.save(update_fields=["path", "position"])
        departments[names] = department
    roles = {role.code: role for role in Role.objects.all()}
    users: dict[str, User] = {}
    for username, name, role, department, mobile in USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.name = name
        user.role = roles[role]
        user.department = departments[department]
        user.mobile = mobile
        user.must_change_password = False
        user.is_active = True
        user.set_password(password)
        user.save()
        users[username] = user
    for names, manager in DEPARTMENTS:
        if manager:
            departments[names].manager = users[manager]
            departments[names].save(update_fields=["manager"])
    admin = User.objects.filter(username="admin").first()
    if admin and admin.department_id is None:
        admin.department = departments[(COMPANY,)]
        admin.save(update_fields=["department"])


def demo_org_delete() -> None:
    usernames = [u[0] for u in USERS]
    User.objects.filter(username="admin").update(department=None)
    Department.objects.update(manager=None)
    User.objects.filter(username__in=usernames).delete()
    for department in sorted(Department.objects.all(), key=lambda d: -d.path.count("/")):
        if not department.children.exists() and not department.members.exists():
            department.delete()
