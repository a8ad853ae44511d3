from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "shoal.system"
    label = "system"
    verbose_name = "系统设置"
