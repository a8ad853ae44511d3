from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "shoal.activities"
    label = "activities"
    verbose_name = "销售活动"

    def ready(self) -> None:
        from shoal.activities import services
        from shoal.customers.services import MERGE_HOOKS

        # CUS-6: a merge keeps every activity of the merged customer, on the survivor.
        if services.activities_merge not in MERGE_HOOKS:
            MERGE_HOOKS.append(services.activities_merge)
