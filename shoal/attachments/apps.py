from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "shoal.attachments"
    label = "attachments"
    verbose_name = "附件"
