from django.contrib import admin

from shoal.activities.models import ContactPlan, Interaction, ScheduleItem, Visit

admin.site.register([Interaction, ContactPlan, ScheduleItem, Visit])
