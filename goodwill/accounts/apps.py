from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "goodwill.accounts"
    label = "accounts"
    verbose_name = "Accounts"
