"""Routes of the occasion settings page and the secret calendar feed."""

from django.urls import path

from goodwill.occasions.views import feed, settings

urlpatterns = [
    path("settings/occasions/", settings.occasion_settings_page, name="settings"),
    path("settings/occasions/rules/", settings.occasion_settings_edit, name="settings_edit"),
    path("settings/occasions/digest/", settings.digest_set, name="digest_set"),
    path("settings/occasions/feed/", settings.feed_create, name="feed_create"),
    path("settings/occasions/feed/revoke/", settings.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", feed.calendar_feed, name="calendar_feed"),
]
