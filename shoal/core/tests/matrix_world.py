"""The world the authorization matrix runs in, and the oracle that says who may see and edit what.

Eight actors, one per built-in role, sit in a small department tree next to colleagues who own
customers outside most actors' view. The oracle is written from the rules — ORG-2 data scopes,
SYS-2 forced hierarchy sharing, CUS-1/3/5 visibility and access — not from the selectors, and
``test_the_oracle_agrees_with_the_hand_written_table`` pins it to a table a person can check.
"""

import importlib
import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from shoal.core.permissions import all_permission_codes
from shoal.customers.models import Contact, Customer, CustomerRelation, Share, credit_code_checksum
from shoal.customers.tests.factories import CustomerFactory, seed_dictionary, stages
from shoal.org.defaults import ROLE_DEFAULTS, expand
from shoal.org.models import ApiToken, DataScope, Department, Role, User
from shoal.org.tests.factories import DepartmentFactory, UserFactory, role
from shoal.system.models import DictionaryItem

PASSWORD = "Secret-pass-2026"

ACTORS = [
    "admin",
    "general_manager",
    "region_manager",
    "department_manager",
    "sales_rep",
    "customer_service",
    "technician",
    "marketing",
]

DEPARTMENTS = {  # key: (name, parent)
    "root": ("公司", None),
    "south": ("华南大区", "root"),
    "team_a": ("销售一组", "south"),
    "team_b": ("销售二组", "south"),
    "east": ("华东大区", "root"),
    "empty": ("空部门", "root"),  # nobody in it: the one an administrator may delete
}

PEOPLE = {  # key: (role code, department, department they manage)
    "admin": ("admin", "root", None),
    "general_manager": ("general_manager", "root", "root"),
    "region_manager": ("region_manager", "south", "south"),
    "department_manager": ("department_manager", "team_a", "team_a"),
    "sales_rep": ("sales_rep", "team_a", None),
    "customer_service": ("customer_service", "team_a", None),
    "technician": ("technician", "team_a", None),
    "marketing": ("marketing", "team_a", None),
    # owners of records outside most actors' view
    "colleague": ("sales_rep", "team_a", None),
    "rep_b": ("sales_rep", "team_b", None),
    "rep_east": ("sales_rep", "east", None),
}

# ORG-4: the effective superior is the nearest department manager above (checked against the app).
SUPERIOR = {
    "admin": "general_manager",
    "general_manager": None,
    "region_manager": "general_manager",
    "department_manager": "region_manager",
    "sales_rep": "department_manager",
    "customer_service": "department_manager",
    "technician": "department_manager",
    "marketing": "department_manager",
    "colleague": "department_manager",
    "rep_b": "region_manager",
    "rep_east": "general_manager",
}


@dataclass(frozen=True)
class Spec:
    owner: str | None
    created_by: str = "rep_east"
    shares: tuple = ()  # (kind "user" | "department", key, access, expired)
    deleted: bool = False


CUSTOMERS = {
    "own": Spec("sales_rep", "sales_rep"),
    "colleague": Spec("colleague"),  # same team as the rep, CS, technician and marketing
    "team_b": Spec("rep_b"),  # same region, other team
    "east": Spec("rep_east"),  # other region
    "technician": Spec("technician"),  # a technician's own (assigned) customer
    "pool": Spec(None),  # unclaimed, entered by someone else
    "marketing_pool": Spec(None, "marketing"),  # unclaimed, entered by marketing
    "shared_read": Spec("rep_east", shares=(("user", "sales_rep", "read", False),)),
    "shared_write": Spec("rep_east", shares=(("user", "sales_rep", "write", False),)),
    "shared_other": Spec("rep_east", shares=(("user", "rep_b", "read", False),)),
    "shared_south": Spec("rep_east", shares=(("department", "south", "read", False),)),
    "share_expired": Spec("rep_east", shares=(("user", "sales_rep", "write", True),)),
    # Seen by everyone (shared with the whole company): partners for relations and merges.
    "hub": Spec(None, shares=(("department", "root", "read", False),)),
    "hub2": Spec(None, shares=(("department", "root", "read", False),)),
    "deleted": Spec(None, deleted=True),  # in the recycle bin
}

# Fields not public in the pool by default (SYS-2 public_fields): none may reach someone who cannot
# see the customer. Each customer gets distinctive values so a leak is found by plain text search.
PRIVATE_FIELDS = ("short_name", "credit_code", "address", "phone", "mobile", "website", "remarks")


def _secrets(n: int, key: str) -> dict:
    body = f"91440300{n:09d}"
    return {
        "short_name": f"机密简称{key}",
        "credit_code": body + credit_code_checksum(body),
        "address": f"机密地址{key}路{n}号",
        "phone": f"0755-66{n:06d}",
        "mobile": f"1390{n:07d}",
        "website": f"https://secret-{key}.example.cn",
        "remarks": f"机密备注{key}",
    }


def _contact_secrets(n: int, key: str) -> dict:
    return {"name": f"机密联系人{key}", "mobile": f"1380{n:07d}"}


def permissions_of(role_code: str) -> set[str]:
    return expand(ROLE_DEFAULTS[role_code]["permissions"], list(all_permission_codes()))


@dataclass
class World:
    departments: dict[str, Department] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    relations: dict[str, CustomerRelation] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    secrets: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, dict] = field(default_factory=dict)  # app records, by name, then by customer key
    custom_role: Role | None = None
    dictionary_item: DictionaryItem | None = None
    pending: User | None = None

    # ------------------------------------------------------------ the oracle

    def _department_of(self, person: str) -> str:
        return PEOPLE[person][1]

    def _ancestors(self, department: str) -> list[str]:
        chain = []
        while department is not None:
            chain.append(department)
            department = DEPARTMENTS[department][1]
        return chain

    def subordinates(self, person: str) -> set[str]:
        found: set[str] = set()
        frontier = {person}
        while frontier:
            frontier = {p for p, s in SUPERIOR.items() if s in frontier and p not in found and p != person}
            found |= frontier
        return found

    def scope(self, actor: str) -> set[str] | None:
        """ORG-2: whose records the role's data scope covers (None: everyone)."""
        data_scope = ROLE_DEFAULTS[actor]["data_scope"]
        if data_scope == DataScope.ALL:
            return None
        mine = self._department_of(actor)
        if data_scope == DataScope.DEPARTMENT:
            return {p for p in PEOPLE if self._department_of(p) == mine} | {actor}
        if data_scope == DataScope.DEPARTMENT_TREE:
            tree = {p for p in PEOPLE if mine in self._ancestors(self._department_of(p))}
            return tree | self.subordinates(actor) | {actor}
        if data_scope == DataScope.SUBORDINATES:
            return self.subordinates(actor) | {actor}
        return {actor}

    def shared_with(self, actor: str, key: str) -> str | None:
        """The best active share of customer ``key`` reaching ``actor`` (CUS-5: a department share
        reaches the department and everything below it; an expired one reaches nobody)."""
        best = None
        chain = self._ancestors(self._department_of(actor))
        for kind, target, access, expired in CUSTOMERS[key].shares:
            reaches = target == actor if kind == "user" else target in chain
            if reaches and not expired:
                best = "write" if access == "write" or best == "write" else "read"
        return best

    def sees(self, actor: str, key: str) -> bool:
        """May ``actor`` see customer ``key`` in full? (Deleted ones only count in the recycle bin.)"""
        spec = CUSTOMERS[key]
        view_all = "customer.view_all" in permissions_of(actor)
        scope = self.scope(actor)
        return (
            spec.owner == actor
            or self.shared_with(actor, key) is not None
            or spec.owner in self.subordinates(actor)  # SYS-2 forced hierarchy sharing (on by default)
            or (view_all and (scope is None or spec.owner is None or spec.owner in scope))
            or (spec.owner is None and spec.created_by == actor)
        )

    def access(self, actor: str, key: str) -> str:
        """owner | write | read, for a customer the actor sees."""
        spec = CUSTOMERS[key]
        scope = self.scope(actor)
        if spec.owner == actor:
            return "owner"
        if "customer.view_all" in permissions_of(actor) and (
            scope is None or spec.owner is None or spec.owner in scope
        ):
            return "write"
        if spec.owner is None and spec.created_by == actor:
            return "write"
        return "write" if self.shared_with(actor, key) == "write" else "read"

    def may_share(self, actor: str, key: str) -> bool:
        """CUS-5: the owner, a manager whose scope covers the owner, or the entrant of an unclaimed one;
        never a sharee (write access or not)."""
        spec = CUSTOMERS[key]
        scope = self.scope(actor)
        if spec.owner == actor:
            return True
        if "customer.view_all" in permissions_of(actor) and (
            scope is None or spec.owner is None or spec.owner in scope
        ):
            return True
        return spec.owner is None and spec.created_by == actor

    def recall_scope(self, actor: str) -> set[str] | None:
        """Whose customers an actor may recall or assign: data scope, subordinates and self."""
        scope = self.scope(actor)
        return None if scope is None else scope | self.subordinates(actor) | {actor}

    def visible_keys(self, actor: str, *, deleted: bool = False) -> set[str]:
        if deleted and "customer.restore" not in permissions_of(actor):
            return set()  # CUS-15: the recycle bin is for those who may restore
        return {k for k, spec in CUSTOMERS.items() if spec.deleted == deleted and self.sees(actor, k)}

    def leaks(self, actor: str | None, body) -> list[str]:
        """Private values of customers ``actor`` may not see that appear in a response body."""
        text = json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
        found = []
        for key, values in self.secrets.items():
            if actor is not None and self.sees(actor, key):
                continue
            found += [f"{key}: {v}" for v in values if v in text]
        return found

    def key_of(self, pk: int) -> str:
        return next(k for k, c in self.customers.items() if c.pk == pk)


def build_world() -> World:
    stages()
    seed_dictionary()
    world = World()
    for key, (name, parent) in DEPARTMENTS.items():
        world.departments[key] = DepartmentFactory(name=name, parent=world.departments.get(parent))
    for key, (role_code, department, _manages) in PEOPLE.items():
        world.users[key] = UserFactory(username=key, role=role(role_code), department=world.departments[department])
    for key, (_role, _department, manages) in PEOPLE.items():
        if manages:
            Department.objects.filter(pk=world.departments[manages].pk).update(manager=world.users[key])
    world.pending = UserFactory(
        username="pending", role=role("sales_rep"), department=world.departments["team_a"], must_change_password=True
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    for n, (key, spec) in enumerate(CUSTOMERS.items(), start=1):
        secrets = _secrets(n, key)
        customer = CustomerFactory(
            name=f"矩阵{key}客户有限公司",
            owner=world.users[spec.owner] if spec.owner else None,
            created_by=world.users[spec.created_by],
            deleted_at=timezone.now() if spec.deleted else None,
            **secrets,
        )
        contact = _contact_secrets(n, key)
        world.contacts[key] = Contact.objects.create(customer=customer, is_primary=True, **contact)
        world.secrets[key] = [*secrets.values(), *contact.values()]
        world.customers[key] = customer
        for kind, target, access, expired in spec.shares:
            Share.objects.create(
                customer=customer,
                user=world.users[target] if kind == "user" else None,
                department=world.departments[target] if kind == "department" else None,
                access=access,
                until=yesterday if expired else None,
            )
    from shoal.customers.services import customer_search_refresh

    customer_search_refresh([c.pk for c in world.customers.values()])  # lists show the primary contact
    for key, customer in world.customers.items():
        partner = world.customers["hub2" if key == "hub" else "hub"]
        world.relations[key] = CustomerRelation.objects.create(
            from_customer=customer, to_customer=partner, relation_type="partner"
        )
    from shoal.org.services import token_create

    for key in ACTORS:
        world.tokens[key] = token_create(actor=world.users[key])[0]
    world.custom_role = Role.objects.create(code="auditor", name="审计", data_scope=DataScope.SELF, permissions=[])
    world.dictionary_item = DictionaryItem.objects.create(kind="industry", code="aerospace", name="航天")
    for module in app_matrix_modules():
        if hasattr(module, "populate"):
            before = {name: id(records) for name, records in world.extra.items()}
            module.populate(world)
            # Two apps filling one name would point one app's routes at the other's records (whose ids
            # may even coincide): every app keeps its own names.
            clobbered = [name for name, ident in before.items() if id(world.extra[name]) != ident]
            assert not clobbered, f"{module.__name__} overwrote world.extra{clobbered}: use names of its own"
    return world


def app_matrix_modules() -> list:
    """Every installed Shoal app's ``tests/matrix.py``, in INSTALLED_APPS order."""
    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shoal."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.matrix"))
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests.matrix", f"{config.name}.tests"):
                raise
    return modules
