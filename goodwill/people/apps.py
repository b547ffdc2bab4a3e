from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "goodwill.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from goodwill.people import list_filters
        from goodwill.people.selectors.tags import tag_filter

        list_filters.register(tag_filter())
