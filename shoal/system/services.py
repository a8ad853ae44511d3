from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shoal.core.errors import Conflict, InvalidInput
from shoal.core.permissions import require
from shoal.core.versioning import versioned_update
from shoal.system.defaults import DICTIONARY_DEFAULTS, PARAMETER_DEFAULTS
from shoal.system.models import DictionaryItem, DictionaryKind, Parameter
from shoal.system.permissions import Permission


def dictionary_seed_defaults() -> None:
    """Create the seeded items that are missing; never touches what an administrator changed."""
    for kind, items in DICTIONARY_DEFAULTS.items():
        for position, (code, name) in enumerate(items):
            DictionaryItem.objects.get_or_create(
                kind=kind, code=code, defaults={"name": name, "position": position, "is_system": True}
            )


@transaction.atomic
def dictionary_item_create(
    *, actor, kind: str, code: str, name: str, position: int = 0, color: str = ""
) -> DictionaryItem:
    require(actor, Permission.MANAGE_DICTIONARY)
    if kind not in DictionaryKind.values:
        raise InvalidInput(fields={"kind": [_("Unknown dictionary kind.")]})
    if DictionaryItem.objects.filter(kind=kind, code=code).exists():
        raise InvalidInput(fields={"code": [_("This code already exists in this list.")]})
    try:
        with transaction.atomic():
            return DictionaryItem.objects.create(
                kind=kind, code=code, name=name, position=position, color=color, created_by=actor
            )
    except IntegrityError:
        raise InvalidInput(fields={"code": [_("This code already exists in this list.")]}) from None


@transaction.atomic
def dictionary_item_update(*, actor, item: DictionaryItem, version: int | None, **changes) -> DictionaryItem:
    require(actor, Permission.MANAGE_DICTIONARY)
    allowed = {k: v for k, v in changes.items() if k in {"name", "position", "is_active", "color"}}
    return versioned_update(item, version=version, changes=allowed)


@transaction.atomic
def dictionary_item_delete(*, actor, item: DictionaryItem) -> None:
    require(actor, Permission.MANAGE_DICTIONARY)
    if item.is_system:
        raise Conflict(
            _("Built-in items cannot be deleted; deactivate them instead."), code="dictionary_item_is_system"
        )
    item.delete()


@transaction.atomic
def parameter_set(*, actor, key: str, value) -> Parameter:
    require(actor, Permission.MANAGE_PARAMETERS)
    if key not in PARAMETER_DEFAULTS:
        raise InvalidInput(fields={key: [_("Unknown parameter.")]})
    expected = type(PARAMETER_DEFAULTS[key])
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise InvalidInput(fields={key: [_("Wrong type of value.")]})
    row, _created = Parameter.objects.update_or_create(key=key, defaults={"value": value})
    return row
