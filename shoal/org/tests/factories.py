import factory

from shoal.org.models import Department, Role, User
from shoal.org.services import role_sync_defaults


def role(code: str) -> Role:
    if not Role.objects.filter(code=code).exists():
        role_sync_defaults()
    return Role.objects.get(code=code)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"部门{n}")
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        obj.save(update_fields=["path"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"员工{n}")
    role = factory.LazyFunction(lambda: role("sales_rep"))
    department = None
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", "Secret-pass-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
