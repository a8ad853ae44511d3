from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "shoal.opportunities"
    label = "opportunities"
    verbose_name = "销售机会"

    def ready(self) -> None:
        from shoal.customers.services import CLAIM_HOOKS
        from shoal.opportunities.services import conflict_on_claim

        CLAIM_HOOKS.append(conflict_on_claim)
