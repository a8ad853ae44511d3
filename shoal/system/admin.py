from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from shoal.system.models import DictionaryItem, Parameter

admin.site.register(DictionaryItem, SimpleHistoryAdmin)
admin.site.register(Parameter, SimpleHistoryAdmin)
