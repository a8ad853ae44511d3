from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "shoal.opportunities"
    label = "opportunities"
    verbose_name = "销售机会"
