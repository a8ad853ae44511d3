from django.contrib import admin

from shoal.calls.models import CallAnnotation, InvalidPhone, PhoneLease, TalkScript

admin.site.register([CallAnnotation, TalkScript, PhoneLease, InvalidPhone])
