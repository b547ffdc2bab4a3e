"""Django's form renderer, with its most used templates written out in Python.

A form field on a page is Django's ``django/forms/field.html``, which includes the label's,
the errors' and the widget's templates, and a select includes one template per option: a
person's page shows about thirty fields, and rendering them through the template engine took a
third of the page's time. ``FastRenderer`` renders those templates (the field without a
fieldset, the label, the error list, the input, textarea and select widgets) in Python, with
the same output byte for byte (``core/tests/test_form_renderer.py`` renders every form of
every app both ways); any other template, or a project's own ``template_name``, still goes
through Django's templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}
_OPTION = "django/forms/widgets/select_option.html"


def _out(value: Any) -> str:
    """``{{ value }}``: localised, then escaped unless already safe."""
    return str(conditional_escape(localize(value)))


def _s(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``."""
    return str(value) if isinstance(value, SafeData) else str(escape(f"{value}"))


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """``django/forms/widgets/attrs.html`` (and ``django/forms/attrs.html``)."""
    out = []
    for name, value in (attrs or {}).items():
        if value is not False:
            out.append(f" {_out(name)}" if value is True else f' {_out(name)}="{_s(value)}"')
    return "".join(out)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    kind, name = _out(widget["type"]), _out(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = _out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    out = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            out.append(
                f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_out(option['label'])}</option>\n"  # the option's template ends a line
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _out(context["label"])
    tag = _out(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_out(context['label'])}</{tag}>"


def _errors(context: Mapping[str, Any]) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_ = f' id="{_out(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_out(error)}</li>" for error in errors)
    return f'<ul class="{_out(context["error_class"])}"{id_}>{items}</ul>'


def _field(context: Mapping[str, Any]) -> str | None:
    field = context["field"]
    if field.use_fieldset:
        return None
    label = _out(field.label_tag()) if field.label else ""
    help_text = ""
    if field.help_text:
        id_ = f' id="{_out(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{id_}>{field.help_text}</div>'
    return f"\n  {label}\n\n{help_text}\n{_out(field.errors)}\n{_out(field)}"


_WRITTEN: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(_INPUTS, _input),
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/field.html": _field,
}


class FastRenderer(DjangoTemplates):
    """``FORM_RENDERER``: Django's default renderer, with the templates above in Python."""

    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        written = _WRITTEN.get(template_name)
        if written is not None and request is None:
            html = written(context)
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request=request)
