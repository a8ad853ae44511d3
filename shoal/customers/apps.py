from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "shoal.customers"
    label = "customers"
    verbose_name = "客户管理"
