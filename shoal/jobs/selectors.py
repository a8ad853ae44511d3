from django.db.models import QuerySet

from shoal.core.errors import NotFound
from shoal.jobs.models import Job
from shoal.org.models import User


def job_visible(*, user: User) -> QuerySet[Job]:
    """A user sees exactly the jobs they started; anyone else's is absent (404)."""
    return Job.objects.filter(created_by_id=user.pk)


def job_get(*, user: User, pk) -> Job:
    job = job_visible(user=user).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return job
