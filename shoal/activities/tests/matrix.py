"""Authorization-matrix entries of the activities (ACT-1, ACT-2, ACT-3, ACT-5, ORG-7).

Interactions, plans and visits hang off customers: ``populate`` adds one of each per customer of the
world, written by the customer's owner (or its creator for pool customers), with private text in
``world.secrets``. Schedule items belong to people: one each for a few of them, seen by the owner
and the owner's superiors."""

from datetime import timedelta

from django.utils import timezone

from shoal.core.tests.matrix_cases import MISSING, Case, Target, customers, records
from shoal.core.tests.matrix_world import CUSTOMERS, World

SCHEDULE_OWNERS = ["sales_rep", "colleague", "rep_b", "rep_east", "department_manager"]


def populate(world: World) -> None:
    from shoal.activities.models import Channel, ContactPlan, Interaction, ScheduleItem, Visit

    now = timezone.now()
    interactions, plans, visits, schedule = {}, {}, {}, {}
    for key, spec in CUSTOMERS.items():
        customer = world.customers[key]
        author = world.users[spec.owner or spec.created_by]
        interactions[key] = Interaction.objects.create(
            customer=customer,
            user=author,
            department=author.department,
            channel=Channel.PHONE,
            occurred_at=now - timedelta(days=1),
            content=f"机密交往{key}",
            needs=f"机密需求{key}",
        )
        plans[key] = ContactPlan.objects.create(
            user=author, customer=customer, planned_at=now + timedelta(days=1), purpose=f"机密计划{key}"
        )
        visits[key] = Visit.objects.create(
            user=author, customer=customer, visited_at=now - timedelta(days=2), outcome=f"机密出访{key}"
        )
        world.secrets[key] = [*world.secrets.get(key, []), f"机密交往{key}", f"机密需求{key}", f"机密计划{key}"]
        world.secrets[key].append(f"机密出访{key}")
    for person in SCHEDULE_OWNERS:
        schedule[person] = ScheduleItem.objects.create(
            user=world.users[person], title=f"日程{person}", start_at=now, end_at=now + timedelta(hours=1)
        )
    world.extra.update(interactions=interactions, contact_plans=plans, visits=visits, schedule=schedule)


def authored(name: str):
    """Records the actor wrote (edits are the author's), and those the actor cannot see (404)."""
    every = records(name)

    def targets(w: World, actor: str) -> list[Target]:
        rows = w.extra[name]
        mine = w.users[actor].pk
        return [t for t in every(w, actor) if t.label == "missing" or not t.visible or rows[t.label].user_id == mine]

    return targets


def schedule_items(which: str = "all"):
    """``all``: every item (seen by its owner and their superiors) · ``own``: the actor's own and the
    unseen ones · ``subordinates``: the actor's subordinates' and the unseen ones."""

    def targets(w: World, actor: str) -> list[Target]:
        found = []
        for person, item in w.extra["schedule"].items():
            own, below = person == actor, person in w.subordinates(actor)
            visible = own or below
            if which == "own" and visible and not own:
                continue
            if which == "subordinates" and visible and not below:
                continue
            found.append(Target(f"{person}'s item", {"pk": item.pk}, visible))
        return [*found, Target("missing", {"pk": MISSING}, False)]

    return targets


def _on(t: Target) -> int:
    return t.ids["pk"]


def _version(model_path: str):
    def body(extra: dict):
        def make(w, a, t):
            from django.apps import apps

            model = apps.get_model("activities", model_path)
            version = model.objects.filter(pk=t.ids["pk"]).values_list("version", flat=True).first() or 1
            return {"version": version, **extra}

        return make

    return body


SOON = (timezone.now() + timedelta(days=2)).isoformat()

TABLE = {
    # -------- interactions (ACT-1): visible with their customer; added by owner, write sharee, superior
    ("/api/v1/interactions/", "GET"): [
        Case(perm="activity.interaction"),
        Case(perm="activity.interaction", body={"channel": "phone", "ordering": "-customer_name"}),
    ],
    ("/api/v1/interactions/", "POST"): [
        Case(
            targets=customers,
            perm="activity.interaction",
            needs="edit",
            body=lambda w, a, t: {"customer": _on(t), "channel": "visit", "content": "矩阵交往"},
            ok=201,
        )
    ],
    ("/api/v1/interactions/{pk}/", "GET"): [Case(targets=records("interactions"), perm="activity.interaction")],
    ("/api/v1/interactions/{pk}/", "PATCH"): [
        Case(
            targets=authored("interactions"),
            perm="activity.interaction",
            body=_version("Interaction")({"next_step": "再约"}),
        )
    ],
    # -------- contact plans (ACT-2)
    ("/api/v1/contact-plans/", "GET"): [
        Case(perm="activity.plan"),
        Case(perm="activity.plan", body={"due": "coming", "mine": "true"}),
    ],
    ("/api/v1/contact-plans/", "POST"): [
        Case(
            targets=customers,
            perm="activity.plan",
            needs="edit",
            body=lambda w, a, t: {"customer": _on(t), "planned_at": SOON, "purpose": "矩阵计划", "remind_minutes": 10},
            ok=201,
        )
    ],
    ("/api/v1/contact-plans/counts/", "GET"): [Case(perm="activity.plan")],
    ("/api/v1/contact-plans/{pk}/", "GET"): [Case(targets=records("contact_plans"), perm="activity.plan")],
    ("/api/v1/contact-plans/{pk}/", "PATCH"): [
        Case(targets=authored("contact_plans"), perm="activity.plan", body=_version("ContactPlan")({"purpose": "改"}))
    ],
    ("/api/v1/contact-plans/{pk}/complete/", "POST"): [
        Case(
            targets=authored("contact_plans"),
            perm="activity.plan",
            body={"channel": "phone", "content": "已联系"},
            ok=201,
        )
    ],
    ("/api/v1/contact-plans/{pk}/cancel/", "POST"): [Case(targets=authored("contact_plans"), perm="activity.plan")],
    # -------- schedule (ACT-3, ORG-7): the owner's and their superiors'
    ("/api/v1/schedule/", "GET"): [
        Case(perm="activity.schedule"),
        Case(perm="activity.schedule", body={"view": "subordinates", "overdue": "true"}),
    ],
    ("/api/v1/schedule/", "POST"): [
        Case(perm="activity.schedule", body={"title": "矩阵日程", "start_at": SOON, "weight": 2}, ok=201)
    ],
    ("/api/v1/schedule/people/", "GET"): [Case(perm="activity.schedule")],
    ("/api/v1/schedule/{pk}/", "GET"): [Case(targets=schedule_items(), perm="activity.schedule")],
    ("/api/v1/schedule/{pk}/", "PATCH"): [
        Case(targets=schedule_items("own"), perm="activity.schedule", body=_version("ScheduleItem")({"done": True}))
    ],
    ("/api/v1/schedule/{pk}/comments/", "GET"): [Case(targets=schedule_items(), perm="activity.schedule")],
    ("/api/v1/schedule/{pk}/comments/", "POST"): [
        Case(targets=schedule_items(), perm="activity.schedule", body={"kind": "comment", "body": "好"}, ok=201),
        Case(
            targets=schedule_items("subordinates"),
            perm="activity.schedule",
            body={"kind": "approval", "body": "同意"},
            ok=201,
        ),
    ],
    # -------- visits (ACT-5)
    ("/api/v1/visits/", "GET"): [Case(perm="activity.visit")],
    ("/api/v1/visits/", "POST"): [
        Case(
            targets=customers,
            perm="activity.visit",
            needs="edit",
            body=lambda w, a, t: {"customer": _on(t), "outcome": "矩阵出访", "place": "客户公司"},
            ok=201,
        )
    ],
    ("/api/v1/visits/{pk}/", "GET"): [Case(targets=records("visits"), perm="activity.visit")],
}
