"""Every read of organisation data that depends on who asks, and the data-scope helpers other
domains use to decide whose records a user may see (ORG-2)."""

from django.db.models import Count, Q, QuerySet

from shoal.org.models import DataScope, Department, DepartmentMove, Role, User


def department_list(*, user: User) -> QuerySet[Department]:
    # The department tree is company-wide information: everyone signed in may read it.
    return Department.objects.select_related("manager").annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )


def department_get(*, user: User, pk: int) -> Department:
    from shoal.core.errors import NotFound

    department = department_list(user=user).filter(pk=pk).first()
    if department is None:
        raise NotFound()
    return department


def department_subtree_ids(department_id: int) -> list[int]:
    path = Department.objects.filter(pk=department_id).values_list("path", flat=True).first()
    if path is None:
        return []
    return list(Department.objects.filter(path__startswith=path).values_list("id", flat=True))


def user_list(*, user: User, filters: dict | None = None) -> QuerySet[User]:
    """The staff directory. Everyone may look colleagues up (to share, assign, ask for help)."""
    qs = User.objects.select_related("department", "role", "superior")
    filters = filters or {}
    department = filters.get("department")
    if department:
        if filters.get("include_descendants"):
            qs = qs.filter(department_id__in=department_subtree_ids(department))
        else:
            qs = qs.filter(department_id=department)
    if filters.get("role"):
        qs = qs.filter(role__code=filters["role"])
    if filters.get("is_active") is not None:
        qs = qs.filter(is_active=filters["is_active"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(name__icontains=q) | Q(mobile__contains=q))
    return qs


def user_get(*, user: User, pk: int) -> User:
    from shoal.core.errors import NotFound

    found = user_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def user_moves(*, user: User, subject: User) -> QuerySet[DepartmentMove]:
    return DepartmentMove.objects.filter(user=subject).select_related("from_department", "to_department", "actor")


def role_list(*, user: User) -> QuerySet[Role]:
    return Role.objects.annotate(user_count=Count("users", filter=Q(users__is_active=True)))


def _superior_map() -> dict[int, int | None]:
    """user id → effective superior id: the explicit one, else the nearest department manager above."""
    departments = {d["id"]: d for d in Department.objects.values("id", "parent_id", "manager_id")}
    result: dict[int, int | None] = {}
    for row in User.objects.values("id", "superior_id", "department_id"):
        superior = row["superior_id"]
        department_id = row["department_id"]
        while superior is None and department_id is not None:
            department = departments.get(department_id)
            if department is None:
                break
            if department["manager_id"] and department["manager_id"] != row["id"]:
                superior = department["manager_id"]
            department_id = department["parent_id"]
        result[row["id"]] = superior
    return result


def user_superior_names() -> dict:
    """{"map": user id → effective superior id, "names": user id → display name}, for staff lists."""
    names = {row["id"]: row["name"] or row["username"] for row in User.objects.values("id", "name", "username")}
    return {"map": _superior_map(), "names": names}


def user_effective_superior_id(subject: User) -> int | None:
    return _superior_map().get(subject.pk)


def user_subordinate_ids(user: User) -> set[int]:
    """Everyone below ``user`` in the superior chain (not including the user)."""
    superiors = _superior_map()
    children: dict[int, list[int]] = {}
    for uid, sup in superiors.items():
        if sup is not None:
            children.setdefault(sup, []).append(uid)
    found: set[int] = set()
    stack = list(children.get(user.pk, []))
    while stack:
        uid = stack.pop()
        if uid in found or uid == user.pk:
            continue
        found.add(uid)
        stack.extend(children.get(uid, []))
    return found


def user_ids_in_scope(user: User) -> set[int] | None:
    """The users whose records ``user`` sees by role data scope; None means everyone (scope all)."""
    scope = user.data_scope
    if scope == DataScope.ALL:
        return None
    ids = {user.pk}
    if scope == DataScope.SUBORDINATES:
        ids |= user_subordinate_ids(user)
    elif scope == DataScope.DEPARTMENT and user.department_id:
        ids |= set(User.objects.filter(department_id=user.department_id).values_list("id", flat=True))
    elif scope == DataScope.DEPARTMENT_TREE and user.department_id:
        ids |= set(
            User.objects.filter(department_id__in=department_subtree_ids(user.department_id)).values_list(
                "id", flat=True
            )
        )
        ids |= user_subordinate_ids(user)
    return ids
