"""Authorization-matrix entries of background jobs: a user sees only the jobs they started."""

import io

from django.core.files.storage import default_storage

from shoal.core.tests.matrix_cases import MISSING, Case, Target
from shoal.core.tests.matrix_world import ACTORS, World


def populate(world: World) -> None:
    from shoal.jobs.models import Job, JobStatus

    world.extra["jobs"] = {
        key: Job.objects.create(
            kind="customer_export",
            status=JobStatus.FAILED,
            created_by=world.users[key],
            result_file=f"jobs/matrix/result-{key}.csv",
            result_name="result.csv",
            error_file=f"jobs/matrix/errors-{key}.csv",
            error_name="errors.csv",
        )
        for key in [*ACTORS, "colleague"]
    }


def _files(job) -> None:
    """Each test has its own MEDIA_ROOT: put the job's files there."""
    for name in (job.result_file, job.error_file):
        if not default_storage.exists(name):
            default_storage.save(name, io.BytesIO(b"a,b\n"))


def jobs(w: World, actor: str) -> list[Target]:
    own, other = w.extra["jobs"][actor], w.extra["jobs"]["colleague"]
    _files(own)
    _files(other)
    return [
        Target("own job", {"pk": own.pk}, True),
        Target("someone else's job", {"pk": other.pk}, False),
        Target("missing", {"pk": MISSING}, False),
    ]


TABLE = {
    ("/api/v1/jobs/", "GET"): [Case(), Case(body={"status": "failed"})],
    ("/api/v1/jobs/{pk}/", "GET"): [Case(targets=jobs)],
    ("/api/v1/jobs/{pk}/result/", "GET"): [Case(targets=jobs)],
    ("/api/v1/jobs/{pk}/errors/", "GET"): [Case(targets=jobs)],
    ("/api/v1/jobs/{pk}/retry/", "POST"): [Case(targets=jobs, ok=202)],
}
