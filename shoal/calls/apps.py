from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "shoal.calls"
    label = "calls"
    verbose_name = "电话跟进"

    def ready(self) -> None:
        # This app's dictionary kinds and parameter join the system seeds (SYS-1/SYS-2), so
        # dictionary_seed_defaults() and parameter_get() know them like the built-in ones.
        from shoal.calls.defaults import register_defaults

        register_defaults()
