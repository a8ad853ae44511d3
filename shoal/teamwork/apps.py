from django.apps import AppConfig


class TeamworkConfig(AppConfig):
    name = "shoal.teamwork"
    label = "teamwork"
    verbose_name = "团队协作"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from shoal.teamwork.services import sign_in_record

        # ORG-6 attendance: every successful sign-in is a record (not a business rule).
        user_logged_in.connect(sign_in_record, dispatch_uid="teamwork_sign_in")
