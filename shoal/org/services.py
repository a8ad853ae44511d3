"""Every write to the organisation: departments, users, roles, passwords, tokens (ORG-1…5)."""

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, InvalidInput, NotFound, ShoalError
from shoal.core.permissions import all_permission_codes, require
from shoal.core.versioning import versioned_update
from shoal.org.models import ApiToken, DataScope, Department, DepartmentMove, Role, User
from shoal.org.permissions import Permission

# ---------------------------------------------------------------- departments (ORG-1)


def _department_path(parent: Department | None, pk: int) -> str:
    return f"{parent.path if parent else '/'}{pk}/"


def _check_sibling_name(*, name: str, parent: Department | None, exclude: int | None = None) -> None:
    siblings = Department.objects.filter(parent=parent, name=name)
    if exclude:
        siblings = siblings.exclude(pk=exclude)
    if siblings.exists():
        raise InvalidInput(fields={"name": [_("A department with this name already exists here.")]})


@transaction.atomic
def department_create(*, actor: User, name: str, parent: Department | None, manager: User | None = None) -> Department:
    require(actor, Permission.MANAGE_DEPARTMENTS)
    name = name.strip()
    if not name:
        raise InvalidInput(fields={"name": [_("This field may not be blank.")]})
    _check_sibling_name(name=name, parent=parent)
    position = Department.objects.filter(parent=parent).count()
    department = Department.objects.create(
        name=name, parent=parent, manager=manager, position=position, created_by=actor
    )
    department.path = _department_path(parent, department.pk)
    department.save(update_fields=["path"])
    return department


@transaction.atomic
def department_update(*, actor: User, department: Department, version: int | None, **changes) -> Department:
    require(actor, Permission.MANAGE_DEPARTMENTS)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise InvalidInput(fields={"name": [_("This field may not be blank.")]})
    new_parent = changes.get("parent", department.parent)
    moved = "parent" in changes and (new_parent.pk if new_parent else None) != department.parent_id
    if moved and new_parent is not None and new_parent.path.startswith(department.path):
        raise InvalidInput(
            fields={"parent": [_("A department cannot be moved under itself or its own sub-department.")]}
        )
    if "name" in changes or moved:
        _check_sibling_name(name=changes.get("name", department.name), parent=new_parent, exclude=department.pk)
    old_path = department.path
    if moved:
        changes["path"] = _department_path(new_parent, department.pk)
    department = versioned_update(department, version=version, changes=changes)
    if moved:
        # Re-root the whole subtree; a handful of rows in a real organisation.
        for child in Department.objects.filter(path__startswith=old_path).exclude(pk=department.pk):
            child.path = department.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    return department


@transaction.atomic
def department_delete(*, actor: User, department: Department) -> None:
    require(actor, Permission.MANAGE_DEPARTMENTS)
    if department.children.exists():
        raise Conflict(
            _("This department has sub-departments; move or delete them first."), code="department_not_empty"
        )
    if User.objects.filter(department=department).exists():
        raise Conflict(
            _("This department still has members (including deactivated ones); move them first."),
            code="department_not_empty",
        )
    department.delete()


# ---------------------------------------------------------------- users (ORG-3, ORG-4, ORG-5)


def _validate_password(password: str, user: User | None, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={field: exc.messages}) from None


def _check_unique(*, username: str | None = None, mobile: str | None = None, exclude: int | None = None) -> None:
    errors: dict[str, list[str]] = {}
    others = User.objects.exclude(pk=exclude) if exclude else User.objects.all()
    if username is not None and others.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is already taken.")]
    if mobile and others.filter(mobile=mobile).exists():
        errors["mobile"] = [_("This mobile number is already used by another employee.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)


def _check_superior(subject_pk: int | None, superior: User | None) -> None:
    if superior is None:
        return
    if subject_pk and superior.pk == subject_pk:
        raise InvalidInput(fields={"superior": [_("An employee cannot be their own superior.")]})
    if subject_pk:
        # Refuse cycles: walking up from the new superior must never reach the subject.
        seen = set()
        current: User | None = superior
        while current is not None and current.pk not in seen:
            if current.pk == subject_pk:
                raise InvalidInput(fields={"superior": [_("This would make a circular chain of superiors.")]})
            seen.add(current.pk)
            current = current.superior


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    password: str,
    department: Department | None,
    role: Role,
    superior: User | None = None,
    mobile: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    username = username.strip()
    _check_unique(username=username, mobile=mobile or None)
    _check_superior(None, superior)
    user = User(
        username=username,
        name=name.strip(),
        department=department,
        role=role,
        superior=superior,
        mobile=mobile,
        email=email,
        must_change_password=must_change_password,
        is_staff=role.code == "admin",
        is_superuser=role.code == "admin",
    )
    _validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise InvalidInput(fields={"username": [_("This username is already taken.")]}) from None
    return user


USER_EDITABLE = {"name", "mobile", "email", "department", "role", "superior", "status"}


@transaction.atomic
def user_update(*, actor: User, subject: User, version: int | None, **changes) -> User:
    require(actor, Permission.MANAGE_USERS)
    changes = {k: v for k, v in changes.items() if k in USER_EDITABLE}
    _check_unique(mobile=changes.get("mobile") or None, exclude=subject.pk)
    if "superior" in changes:
        _check_superior(subject.pk, changes["superior"])
    old_department = subject.department
    if "role" in changes and changes["role"] is not None:
        role = changes["role"]
        changes["is_staff"] = changes["is_superuser"] = role.code == "admin"
        if subject.pk == actor.pk and role.code != "admin" and actor.role and actor.role.code == "admin":
            raise InvalidInput(fields={"role": [_("You cannot take the administrator role away from yourself.")]})
    subject = versioned_update(subject, version=version, changes=changes)
    if "department" in changes and (old_department.pk if old_department else None) != subject.department_id:
        DepartmentMove.objects.create(
            user=subject, from_department=old_department, to_department=subject.department, actor=actor
        )
    return subject


@transaction.atomic
def user_update_profile(*, actor: User, **changes) -> User:
    """What a user may change about themselves: contact details, status, language (ORG-5)."""
    from shoal.system.models import DictionaryItem

    changes = {k: v for k, v in changes.items() if k in {"name", "mobile", "email", "status", "language"}}
    if "mobile" in changes:
        _check_unique(mobile=changes["mobile"] or None, exclude=actor.pk)
    if (
        "status" in changes
        and not DictionaryItem.objects.filter(kind="employee_status", code=changes["status"], is_active=True).exists()
    ):
        raise InvalidInput(fields={"status": [_("Unknown employee status.")]})
    return versioned_update(actor, version=None, changes=changes)


def _set_active(*, actor: User, ids: list[int], active: bool) -> BatchResult:
    require(actor, Permission.MANAGE_USERS)
    result = BatchResult()
    for pk in ids:
        try:
            with transaction.atomic():
                subject = User.objects.filter(pk=pk).first()
                if subject is None:
                    raise NotFound()
                if not active and subject.pk == actor.pk:
                    raise Conflict(_("You cannot deactivate yourself."), code="cannot_deactivate_self")
                if subject.is_active != active:
                    versioned_update(subject, version=None, changes={"is_active": active})
                    if not active:
                        ApiToken.objects.filter(user=subject).delete()
                        _end_sessions(subject)
            result.ok(pk)
        except ShoalError as error:
            result.fail(pk, error)
    return result


def _end_sessions(subject: User) -> None:
    # Sessions are signed with the password hash; rotating the session hash salt logs the user out.
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(subject.pk):
            session.delete()


def user_deactivate(*, actor: User, ids: list[int]) -> BatchResult:
    """ORG-4: a deactivated user cannot sign in but keeps every record and its history."""
    return _set_active(actor=actor, ids=ids, active=False)


def user_reactivate(*, actor: User, ids: list[int]) -> BatchResult:
    return _set_active(actor=actor, ids=ids, active=True)


@transaction.atomic
def user_reset_password(*, actor: User, subject: User, password: str) -> None:
    require(actor, Permission.MANAGE_USERS)
    _validate_password(password, subject)
    subject.set_password(password)
    subject.must_change_password = True  # ORG-3: forced change after an admin reset
    subject.save(update_fields=["password", "must_change_password"])
    ApiToken.objects.filter(user=subject).delete()


@transaction.atomic
def user_change_password(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise InvalidInput(
            _("The current password is not correct."),
            fields={"old_password": [_("The current password is not correct.")]},
        )
    if old_password == new_password:
        raise InvalidInput(
            _("The new password must differ from the current one."),
            fields={"new_password": [_("The new password must differ from the current one.")]},
        )
    _validate_password(new_password, actor, field="new_password")
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])


# ---------------------------------------------------------------- roles (ORG-2)


def _clean_permissions(codes: list[str]) -> list[str]:
    known = set(all_permission_codes())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(fields={"permissions": [_("Unknown permission: %(code)s") % {"code": unknown[0]}]})
    return sorted(set(codes))


@transaction.atomic
def role_create(*, actor: User, code: str, name: str, data_scope: str, permissions: list[str]) -> Role:
    require(actor, Permission.MANAGE_ROLES)
    if Role.objects.filter(code=code).exists():
        raise InvalidInput(fields={"code": [_("A role with this code already exists.")]})
    if data_scope not in DataScope.values:
        raise InvalidInput(fields={"data_scope": [_("Unknown data scope.")]})
    return Role.objects.create(
        code=code, name=name, data_scope=data_scope, permissions=_clean_permissions(permissions), created_by=actor
    )


@transaction.atomic
def role_update(*, actor: User, role: Role, version: int | None, **changes) -> Role:
    require(actor, Permission.MANAGE_ROLES)
    changes = {k: v for k, v in changes.items() if k in {"name", "data_scope", "permissions"}}
    if "permissions" in changes:
        changes["permissions"] = _clean_permissions(changes["permissions"])
    if role.code == "admin" and ("permissions" in changes or changes.get("data_scope", "all") != "all"):
        raise Conflict(_("The administrator role always has every permission."), code="role_is_system")
    return versioned_update(role, version=version, changes=changes)


@transaction.atomic
def role_delete(*, actor: User, role: Role) -> None:
    require(actor, Permission.MANAGE_ROLES)
    if role.is_system:
        raise Conflict(_("Built-in roles cannot be deleted."), code="role_is_system")
    if role.users.exists():
        raise Conflict(_("This role is still given to employees."), code="role_in_use")
    role.delete()


# ---------------------------------------------------------------- API tokens (ORG-3)


@transaction.atomic
def token_create(*, actor: User, name: str = "") -> tuple[ApiToken, str]:
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=actor, name=name.strip(), key_hash=ApiToken.hash_key(key), key_prefix=key[:8], created_by=actor
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> None:
    deleted, _count = ApiToken.objects.filter(user=actor, pk=token_id).delete()
    if not deleted:
        raise NotFound()


# ---------------------------------------------------------------- setup


@transaction.atomic
def role_sync_defaults() -> None:
    """Create the built-in roles and grant them default codes the first time a code appears."""
    from shoal.org.defaults import ROLE_DEFAULTS, expand
    from shoal.system.models import Parameter

    known = list(all_permission_codes())
    seen_row = Parameter.objects.filter(key="org.seen_permission_codes").first()
    seen = set(seen_row.value) if seen_row else set()
    for code, spec in ROLE_DEFAULTS.items():
        defaults = expand(spec["permissions"], known)
        role, created = Role.objects.get_or_create(
            code=code,
            defaults={
                "name": spec["name"],
                "data_scope": spec["data_scope"],
                "permissions": sorted(defaults),
                "is_system": True,
            },
        )
        if not created:
            new_codes = {c for c in defaults if c not in seen}
            if new_codes - set(role.permissions):
                role.permissions = sorted(set(role.permissions) | new_codes)
                role.save(update_fields=["permissions"])
    Parameter.objects.update_or_create(key="org.seen_permission_codes", defaults={"value": known})


def admin_create_first(*, password: str | None) -> tuple[User, str] | None:
    """First run only: the administrator, who must change the password at first sign-in."""
    if User.objects.exists():
        return None
    generated = password or secrets.token_urlsafe(12)
    admin = User(
        username="admin",
        name="系统管理员",
        role=Role.objects.get(code="admin"),
        is_staff=True,
        is_superuser=True,
        must_change_password=True,
    )
    admin.set_password(generated)
    admin.save()
    return admin, generated
