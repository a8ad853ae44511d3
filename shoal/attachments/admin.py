from django.contrib import admin

from shoal.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["id", "target_kind", "target_id", "name", "size", "content_type", "created_by", "deleted_at"]
    list_filter = ["target_kind", "content_type"]
