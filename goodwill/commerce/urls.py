"""Web routes of commerce (namespace ``commerce``)."""

from django.urls import path

from goodwill.commerce import views

app_name = "commerce"
urlpatterns = [
    path("people/<int:pk>/purchases/add/", views.purchase_add, name="purchase_add"),
    path("purchases/<int:pk>/remove/", views.purchase_remove, name="purchase_remove"),
    path("people/<int:pk>/loyalty-number/", views.loyalty_number_save, name="loyalty_number_set"),
    path("settings/journey/", views.settings_page, name="settings"),
]
