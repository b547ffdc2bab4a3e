"""``FORM_RENDERER``: the templates ``core.form_renderer`` writes out in Python render exactly
what Django's own templates render, for every form of every app and on the busiest pages."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.core import form_renderer
from goodwill.core.form_renderer import FastRenderer
from goodwill.people.services import (
    membership_set,
    organisation_create,
    person_create,
    person_interest_add,
)

FORM_MODULES = [
    "goodwill.accounts.forms",
    "goodwill.commerce.forms",
    "goodwill.exchange.export.forms",
    "goodwill.exchange.importer.forms",
    "goodwill.exchange.pos.forms",
    "goodwill.feedback.forms",
    "goodwill.occasions.forms",
    "goodwill.occasions.forms_settings",
    "goodwill.outreach.forms_greetings",
    "goodwill.outreach.forms_offers",
    "goodwill.people.forms",
    "goodwill.timeline.forms",
]
SLOW = DjangoTemplates()


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Every render of a template written in Python is done by Django's template as well;
    returns the templates compared and those that came out different."""
    seen: set[str] = set()
    differ: list[tuple[str, str, str]] = []
    fast_render = FastRenderer.render

    def both(self: FastRenderer, template_name: str, context: Any, request: Any = None) -> str:
        fast = fast_render(self, template_name, context, request)
        if template_name in form_renderer._WRITTEN:
            seen.add(template_name)
            slow = SLOW.render(template_name, context, request)
            if fast != slow:
                differ.append((template_name, fast, slow))
        return fast

    monkeypatch.setattr(FastRenderer, "render", both)
    return seen, differ


def _shown(differ: list[tuple[str, str, str]]) -> str:
    return "\n".join(
        f"{name}\n  fast: {fast!r}\n  slow: {slow!r}" for name, fast, slow in differ[:5]
    )


def _forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _n, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def test_it_is_the_project_renderer() -> None:
    assert settings.FORM_RENDERER == "goodwill.core.form_renderer.FastRenderer"


@pytest.mark.django_db
def test_every_form_renders_as_django_renders_it(compared: Any, alice: User) -> None:
    seen, differ = compared
    made = 0
    for cls in _forms():
        for kwargs in ({}, {"data": {}}, {"data": {"name": "<b>&", "email": "x"}}):
            try:
                form = cls(**kwargs)
            except TypeError:  # a form that needs its person, batch or choices: see the pages
                continue
            made += 1
            form.is_valid() if kwargs else None
            str(form)
            for field in form:
                str(field.as_field_group())
    assert made >= 20
    assert differ == [], _shown(differ)
    assert {"django/forms/field.html", "django/forms/label.html"} <= seen
    assert "django/forms/errors/list/default.html" in seen
    assert {"django/forms/widgets/checkbox.html", "django/forms/widgets/select.html"} <= seen


@pytest.mark.django_db
def test_the_busiest_pages_render_as_django_renders_them(
    compared: Any, alice: User, alice_client: Client
) -> None:
    seen, differ = compared
    ann = person_create(
        actor=None,
        given_name="Ann",
        family_name="<Lee> & Co",
        emails=["ann@example.com"],
        roles=["guest"],
    ).person
    person_interest_add(actor=None, person=ann, name="Jazz", source="told_us")
    membership_set(
        actor=None, person=ann, organisation=organisation_create(actor=None, name="Acme")
    )
    pages = [
        reverse("people:person_detail", args=[ann.pk]),
        reverse("people:person_edit", args=[ann.pk]),
        reverse("people:person_create"),
        reverse("people:person_list"),
        reverse("people:organisation_create"),
    ]
    for path in pages:
        assert alice_client.get(path).status_code == 200, path
    bad = {"given_name": "", "family_name": "", "emails": "not an email", "phones": "12"}
    assert alice_client.post(reverse("people:person_create"), bad).status_code in (200, 422)
    assert differ == [], _shown(differ)
    widgets = {t.rsplit("/", 1)[-1] for t in seen}
    assert {"field.html", "select.html", "textarea.html", "text.html", "date.html"} <= widgets
