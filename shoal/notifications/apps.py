from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shoal.notifications"
    label = "notifications"
    verbose_name = "通知"
