"""Routes of the touch budget's pages (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import touches

urlpatterns = [
    path("people/<int:pk>/touches/", touches.touch_add, name="touch_add"),
    path("people/<int:pk>/touch-policy/", touches.person_limits, name="person_limits"),
    path("settings/touch-policy/", touches.touch_policy_page, name="touch_policy"),
    path("stay-in-touch/", touches.stay_in_touch, name="stay_in_touch"),
]
