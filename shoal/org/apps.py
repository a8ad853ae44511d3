from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "shoal.org"
    label = "org"
    verbose_name = "组织与员工"
