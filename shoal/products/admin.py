from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from shoal.products.models import Product, ProductCategory

admin.site.register(ProductCategory)
admin.site.register(Product, SimpleHistoryAdmin, list_display=["code", "name", "spec", "list_price", "is_active"])
