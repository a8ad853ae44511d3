from django.contrib import admin

from shoal.customers.models import Customer, CustomerEvent, Stage

admin.site.register(Stage)
admin.site.register(Customer, list_display=["id", "name", "owner", "stage", "deleted_at"], raw_id_fields=["owner"])
admin.site.register(CustomerEvent, list_display=["id", "customer", "action", "actor", "created_at"])
