from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "shoal.contracts"
    label = "contracts"
    verbose_name = "合同与回款"

    def ready(self) -> None:
        from shoal.contracts import attachment_kind

        attachment_kind.register()  # SAL-6 contract attachments
