from django.db import models


class Permission(models.TextChoices):
    INTERACTION = "activity.interaction"  # ACT-1 log and read interactions (交往记录) of visible customers
    PLAN = "activity.plan"  # ACT-2 own contact plans (联系计划)
    SCHEDULE = "activity.schedule"  # ACT-3 own schedule (日程安排)
    REVIEW = "activity.review_schedule"  # ORG-7 subordinates' schedules: comment, approve (批复), remind
    VISIT = "activity.visit"  # ACT-5 visit records (出访记录)
