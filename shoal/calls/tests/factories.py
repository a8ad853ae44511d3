from shoal.calls.models import CallAnnotation

FULL = {
    "development_outlook": "计划明年扩产，开拓华东市场",
    "target_customers": "主要客户是连锁超市和批发商",
    "competition": "同行三家在做网络推广，自身价格有优势",
    "needs_category": "leads",
}


def annotation(customer, author, **extra) -> CallAnnotation:
    return CallAnnotation.objects.create(
        customer=customer, author=author, development_outlook="发展平稳", needs_category="", **extra
    )
