from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "shoal.backups"
    label = "backups"
    verbose_name = "数据备份"
