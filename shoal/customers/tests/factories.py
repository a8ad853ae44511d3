import factory

from shoal.customers import services
from shoal.customers.models import Contact, Customer, Stage

STAGES = [
    ("potential", "潜在客户"),
    ("quasi_demand", "准需求客户"),
    ("pending_deal", "待成交客户"),
    ("deal", "成交客户"),
]


def stages() -> list[Stage]:
    """The default stages (transactional tests flush the rows the data migration seeded)."""
    return [
        Stage.objects.get_or_create(code=code, defaults={"name": name, "position": position})[0]
        for position, (code, name) in enumerate(STAGES)
    ]


def seed_dictionary() -> None:
    from shoal.system.services import dictionary_seed_defaults

    dictionary_seed_defaults()


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试客户{n}号贸易有限公司")
    source = "system"
    stage = factory.LazyFunction(lambda: stages()[0])
    owner = None

    @factory.lazy_attribute
    def claimed_at(self):
        from django.utils import timezone

        return timezone.now() if self.owner else None

    @factory.post_generation
    def _index(obj, create, extracted, **kwargs):
        if create:
            services.customer_search_refresh([obj.pk])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    is_primary = False
