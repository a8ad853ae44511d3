from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "shoal.customers"
    label = "customers"
    verbose_name = "客户管理"

    def ready(self) -> None:
        # The background-job runners of CUS-13 register themselves with shoal.jobs.
        from shoal.customers import attachment_kind, exports, imports  # noqa: F401

        attachment_kind.register()  # CUS-14
