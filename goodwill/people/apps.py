from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "goodwill.people"
    label = "people"
    verbose_name = "People"
