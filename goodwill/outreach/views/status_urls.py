"""Routes of the status page, its message actions and /healthz."""

from django.urls import path

from goodwill.outreach.views import status

urlpatterns = [
    path("healthz", status.healthz, name="healthz"),
    path("status/", status.status_page, name="status"),
    path(
        "status/messages/<int:message_id>/release/",
        status.message_release_view,
        name="message_release",
    ),
    path(
        "status/messages/<int:message_id>/retry/", status.message_retry_view, name="message_retry"
    ),
    path(
        "status/messages/<int:message_id>/cancel/",
        status.message_cancel_view,
        name="message_cancel",
    ),
]
