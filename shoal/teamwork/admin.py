from django.contrib import admin

from shoal.teamwork.models import HelpMessage, HelpRequest, SignIn, WorkLog, WorkLogComment

admin.site.register([HelpRequest, HelpMessage, WorkLog, WorkLogComment, SignIn])
