from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shoal.core"
    label = "core"

    def ready(self) -> None:
        from shoal.core import schema  # noqa: F401  (registers the OpenAPI extensions)
