from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "shoal.contracts"
    label = "contracts"
    verbose_name = "合同与回款"
