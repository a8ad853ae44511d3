from django.contrib import admin

from shoal.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "created_by", "progress_done", "progress_total", "created_at"]
    list_filter = ["kind", "status"]
