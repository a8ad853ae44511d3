"""Authorization-matrix entries of attachments (CUS-14): one file per customer of the world, visible
exactly when its customer is; changed by whoever may edit the customer."""

import io

from django.core.files.storage import default_storage

from shoal.core.tests.matrix_cases import Case, customers, records
from shoal.core.tests.matrix_world import World


def populate(world: World) -> None:
    from shoal.attachments.models import Attachment

    world.extra["attachments"] = {
        key: Attachment.objects.create(
            target_kind="customer",
            target_id=customer.pk,
            name=f"{key}.pdf",
            file=f"attachments/matrix/{key}.pdf",
            size=9,
            content_type="application/pdf",
            sha256="0" * 64,
        )
        for key, customer in world.customers.items()
    }


def attachments(w: World, actor: str):
    # Each test has its own MEDIA_ROOT: put the files there.
    for attachment in w.extra["attachments"].values():
        if not default_storage.exists(attachment.file):
            default_storage.save(attachment.file, io.BytesIO(b"%PDF-1.4\n"))
    return records("attachments")(w, actor)


TABLE = {
    ("/api/v1/customers/{pk}/attachments/", "GET"): [Case(targets=customers)],
    ("/api/v1/customers/{pk}/attachments/", "POST"): [
        Case(targets=customers, perm="customer.edit", needs="edit", ok=400)  # visible and editable: no file sent
    ],
    ("/api/v1/attachments/{pk}/", "DELETE"): [Case(targets=attachments, perm="customer.edit", needs="edit", ok=204)],
    ("/api/v1/attachments/{pk}/download/", "GET"): [Case(targets=attachments)],
}
