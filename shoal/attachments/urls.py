from django.urls import path

from shoal.attachments import api


class CustomerAttachmentsView(api.TargetAttachmentsView):
    """CUS-14: /customers/{pk}/attachments/ (API.md fixed name)."""

    kind = "customer"
    required_permissions = {"post": "customer.edit"}


urlpatterns = [
    path("customers/<int:pk>/attachments/", CustomerAttachmentsView.as_view(), name="customer-attachments"),
    path("attachments/<int:pk>/", api.AttachmentView.as_view(), name="attachment-detail"),
    path("attachments/<int:pk>/download/", api.AttachmentDownloadView.as_view(), name="attachment-download"),
]
