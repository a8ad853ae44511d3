from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "shoal.orders"
    label = "orders"
    verbose_name = "报价与订单"
