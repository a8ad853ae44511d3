from django.apps import AppConfig


class GatesConfig(AppConfig):
    name = "shoal.gates"
    label = "gates"
    verbose_name = "质量与安全"
