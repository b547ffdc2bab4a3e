"""The placeholder language: only known ``{{ name }}`` placeholders, faults named with their
place, and rendering that substitutes plain strings and nothing else."""

from __future__ import annotations

import pytest

from goodwill.core.errors import Invalid
from goodwill.outreach.templating import (
    PLACEHOLDERS,
    render,
    render_html,
    render_subject,
    template_check,
)


def fault(text: str, field: str = "body") -> tuple[str, list[str]]:
    with pytest.raises(Invalid) as caught:
        template_check(text, field=field)
    return caught.value.message, caught.value.fields[field]


def test_it_accepts_known_placeholders_with_or_without_spaces() -> None:
    template_check("Dear {{ preferred_name }},\n{{names}} — {{  offer_code  }}", field="body")
    values = {"names": "Ann", "offer_code": "X"}
    assert render("{{names}} {{  offer_code  }} {{ names }}", values) == "Ann X Ann"


def test_it_accepts_text_without_any_placeholder() -> None:
    template_check("Thank you for staying with us.", field="body")


def test_an_unknown_placeholder_is_named_with_its_line_and_column() -> None:
    message, messages = fault("Dear {{ given_name }},\n\nYour mail: {{ email }}.")
    assert message.startswith("body, line 3, column 12: unknown placeholder {{ email }}; use one")
    assert messages[0].startswith("line 3, column 12: unknown placeholder {{ email }}")
    assert "preferred_name, given_name" in messages[0]


def test_dunder_names_are_unknown_placeholders() -> None:
    _message, messages = fault("{{ __class__ }}", field="subject")
    assert messages == [
        "line 1, column 1: unknown placeholder {{ __class__ }}; use one of "
        + ", ".join(PLACEHOLDERS)
    ]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Hi {{ given_name|upper }}", "line 1, column 4: filters are not allowed: "),
        ("Hi {{ person.email }}", "line 1, column 4: only a plain name is allowed, not "),
        ("Hi {{ given_name.__class__ }}", "line 1, column 4: only a plain name is allowed"),
        ("Hi {{ given_name() }}", "line 1, column 4: only a plain name is allowed"),
        ("Hi {% if x %}yes{% endif %}", "line 1, column 4: template tags like {% if x %} are"),
        ("Hi {# note #}", "line 1, column 4: comments like {# note #} are not allowed"),
        ("Hi {{ given_name", "line 1, column 4: “{{” is not closed with “}}” on the same line"),
        ("Hi {{ given_name\n}}", "line 1, column 4: “{{” is not closed"),
        ("Hi {given_name}", "line 1, column 4: a lone “{”"),
        ("Hi given_name }}", "line 1, column 15: “}}” without its “{{”"),
        ("Hi {{ }}", "line 1, column 4: empty placeholder {{ }}"),
        ("Hi {{ given name }}", "line 1, column 4: {{ given name }} is not a placeholder"),
    ],
)
def test_anything_but_a_plain_placeholder_is_refused(text: str, start: str) -> None:
    _message, messages = fault(text)
    assert messages[0].startswith(start), messages[0]


def test_it_reports_the_first_three_faults() -> None:
    _message, messages = fault("{ a } {{ b }} {{ c }} {{ d }}")
    assert [m.split(":")[0] for m in messages] == [
        "line 1, column 1",
        "line 1, column 5",
        "line 1, column 7",
    ]


def test_render_substitutes_values_and_leaves_missing_ones_empty() -> None:
    text = "Dear {{ preferred_name }}, code {{offer_code}}{{ years }}."
    assert render(text, {"preferred_name": "Anna", "offer_code": "X1"}) == "Dear Anna, code X1."


def test_render_never_evaluates_a_value() -> None:
    values = {"given_name": "{{ business }} {% debug %} {{ 7*7 }}", "business": "Secret"}
    assert render("Hi {{ given_name }}", values) == "Hi {{ business }} {% debug %} {{ 7*7 }}"


def test_render_refuses_a_faulty_template_naming_the_field() -> None:
    with pytest.raises(Invalid) as caught:
        render("Hi {{ person.email }}", {}, field="body_template")
    assert list(caught.value.fields) == ["body_template"]


def test_a_subject_flattens_line_breaks_in_values() -> None:
    subject = render_subject("For {{ given_name }}", {"given_name": "Ann\r\nBcc: x@evil.test"})
    assert subject == "For Ann Bcc: x@evil.test"


def test_a_subject_template_with_a_line_break_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        render_subject("Hello\nBcc: x@evil.test", {})
    assert caught.value.fields == {"subject": ["A subject is one line; remove the line break."]}


def test_a_subject_over_300_characters_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        render_subject("Hi {{ given_name }}", {"given_name": "A" * 298})
    assert caught.value.fields == {
        "subject": ["The subject would be 301 characters long; keep it under 300."]
    }


def test_render_html_escapes_values_and_text_and_keeps_line_breaks() -> None:
    html = render_html(
        "Dear {{ given_name }},\nfish & chips\n\n<b>Bye</b>",
        {"given_name": '<script>alert("x")</script>'},
    )
    assert html == (
        "<p>Dear &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,<br>fish &amp; chips</p>"
        "\n\n<p>&lt;b&gt;Bye&lt;/b&gt;</p>"
    )
