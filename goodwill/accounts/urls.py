"""Log in/out and the settings pages (business profile, users and roles, API tokens)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from goodwill.accounts import views
from goodwill.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.settings_index, name="settings"),
    path("settings/business/", views.business_edit, name="business_edit"),
    path("settings/users/", views.user_list, name="user_list"),
    path("settings/users/new/", views.user_create, name="user_create"),
    path("settings/users/<int:user_id>/", views.user_update, name="user_update"),
    path("settings/tokens/", views.token_list, name="token_list"),
    path("settings/tokens/new/", views.token_create, name="token_create"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
