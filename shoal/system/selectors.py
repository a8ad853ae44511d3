from django.db.models import QuerySet

from shoal.system.defaults import PARAMETER_DEFAULTS
from shoal.system.models import DictionaryItem, Parameter


def dictionary_items(*, kind: str | None = None, active_only: bool = False) -> QuerySet[DictionaryItem]:
    qs = DictionaryItem.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def parameter_get(key: str):
    row = Parameter.objects.filter(key=key).values_list("value", flat=True).first()
    if row is None:
        return PARAMETER_DEFAULTS.get(key)
    return row


def parameter_all() -> dict:
    values = dict(PARAMETER_DEFAULTS)
    values.update(dict(Parameter.objects.values_list("key", "value")))
    return values
