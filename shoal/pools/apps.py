from django.apps import AppConfig


class PoolsConfig(AppConfig):
    name = "shoal.pools"
    label = "pools"
    verbose_name = "客户池"
