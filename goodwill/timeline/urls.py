from django.urls import path  # noqa: F401

app_name = "timeline"
urlpatterns: list[object] = []
