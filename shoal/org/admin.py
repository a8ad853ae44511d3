from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from shoal.org.models import ApiToken, Department, DepartmentMove, Role, User


@admin.register(User)
class ShoalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "name", "department", "role", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Shoal", {"fields": ["name", "mobile", "department", "role", "superior", "status", "must_change_password"]}),
    ]


admin.site.register(Department, SimpleHistoryAdmin)
admin.site.register(Role, SimpleHistoryAdmin)
admin.site.register(DepartmentMove)
admin.site.register(ApiToken)
