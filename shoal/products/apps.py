from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "shoal.products"
    label = "products"
    verbose_name = "产品管理"
