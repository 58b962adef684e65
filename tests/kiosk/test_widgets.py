"""Every field widget, rendered straight from its template for every field type's examples:
the question is the page's heading, every reference between elements holds, an error is
announced, and nothing breaks the Content-Security-Policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest

import locales
from forms.types import FIELD_TYPES
from kiosk import messages, screens
from kiosk.rendering import TEMPLATES, environment

ENV = environment()
VOID = {"input", "br", "img", "hr", "meta", "link"}
FORM_CONTROLS = {"input", "textarea", "select"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def ancestors(self) -> list[Element]:
        node, found = self.parent, []
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def all_text(self) -> str:
        return (self.text + "".join(child.all_text() for child in self.children)).strip()


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("root", {})
        self.current = self.root
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent or self.root

    def handle_data(self, data: str) -> None:
        self.current.text += data


def _parse(html: str) -> list[Element]:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.current is tree.root, "an element is not closed"
    return tree.elements


def _choices(example: Any) -> list[tuple[str, str]]:
    if example.type == "yes_no":
        return [("yes", "Yes"), ("no", "No")]
    return [(choice.value, choice.label.get("en", "en")) for choice in example.choices or ()]


def _render(type_name: str, *, hint: bool, error: bool, as_heading: bool = True) -> str:
    field_type = FIELD_TYPES[type_name]
    example = field_type.example_field()
    stored = field_type.valid[0][1]
    problem = field_type.invalid[-1][1] if field_type.invalid else None
    template = ENV.get_template(f"fields/{screens.WIDGETS[type_name]}.html")
    return template.render(
        field=example,
        input="answer",
        as_heading=as_heading,
        label="The question",
        hint="Some help" if hint else "",
        value=screens.shown(example, stored),
        error=messages.MESSAGES[problem.code] % problem.params if error and problem else None,
        choices=_choices(example),
        csrftoken=lambda: "token",
        translations=locales.translations("en"),
    )


#: Types with no widget: the citizen never sees them (calculations are worked out).
NOT_ASKED = {"calculate"}

CASES = [
    pytest.param(name, hint, error, id="-".join([name] + ["hint"] * hint + ["error"] * error))
    for name in sorted(set(FIELD_TYPES) - NOT_ASKED)
    for hint, error in [(False, False), (True, False), (False, True), (True, True)]
    if not (error and not FIELD_TYPES[name].invalid)
]


def test_every_field_type_has_a_widget_template():
    assert set(screens.WIDGETS) == set(FIELD_TYPES) - NOT_ASKED
    for widget in screens.WIDGETS.values():
        assert (TEMPLATES / "fields" / f"{widget}.html").is_file()


def test_every_widget_template_is_used():
    used = set(screens.WIDGETS.values())
    assert {path.stem for path in (TEMPLATES / "fields").glob("*.html")} == used


@pytest.mark.parametrize(("name", "hint", "error"), CASES)
def test_the_question_is_the_heading_of_its_label_or_legend(name, hint, error):
    elements = _parse(_render(name, hint=hint, error=error))
    (heading,) = [element for element in elements if element.tag == "h1"]
    assert heading.all_text() == "The question"
    if name == "note":
        assert not [element for element in elements if element.tag in FORM_CONTROLS]
        return
    labels = [e for e in heading.children if e.tag == "label"]
    legends = [e for e in heading.ancestors() if e.tag == "legend"]
    assert labels or legends
    if legends:
        assert legends[0].parent is not None and legends[0].parent.tag == "fieldset"
    else:
        assert labels[0].attrs["for"] == "answer"


@pytest.mark.parametrize(("name", "hint", "error"), CASES)
def test_every_reference_names_an_element_that_exists(name, hint, error):
    elements = _parse(_render(name, hint=hint, error=error))
    ids = [element.attrs["id"] for element in elements if "id" in element.attrs]
    assert len(ids) == len(set(ids))
    for element in elements:
        for target in element.attrs.get("aria-describedby", "").split():
            assert target in ids, target
        if element.tag == "label":
            assert element.attrs["for"] in ids
    controls = [e for e in elements if e.tag in FORM_CONTROLS]
    labelled = {e.attrs["for"] for e in elements if e.tag == "label"}
    assert all(control.attrs["id"] in labelled for control in controls)
    names = {"answer-day", "answer-month", "answer-year"} if name == "date" else {"answer"}
    assert {control.attrs["name"] for control in controls} <= names
    described = {t for e in elements for t in e.attrs.get("aria-describedby", "").split()}
    assert ("answer-hint" in described) == (hint and name != "note")
    assert ("answer-error" in described) == error


@pytest.mark.parametrize(("name", "hint", "error"), CASES)
def test_an_error_is_announced(name, hint, error):
    html = _render(name, hint=hint, error=error)
    elements = _parse(html)
    invalid = [element for element in elements if element.attrs.get("aria-invalid") == "true"]
    assert bool(invalid) == error
    if error:
        problem = FIELD_TYPES[name].invalid[-1][1]
        (message,) = [element for element in elements if element.attrs.get("id") == "answer-error"]
        assert messages.MESSAGES[problem.code] % problem.params in message.all_text()
        assert "field--error" in html


@pytest.mark.parametrize(("name", "hint", "error"), CASES)
def test_nothing_inline_that_the_content_security_policy_forbids(name, hint, error):
    html = _render(name, hint=hint, error=error).lower()
    assert "style=" not in html and "<script" not in html
    for element in _parse(html):
        assert not [attr for attr in element.attrs if attr.startswith("on")]


@pytest.mark.parametrize("name", sorted(set(FIELD_TYPES) - NOT_ASKED))
def test_a_question_among_others_is_a_plain_label(name):
    elements = _parse(_render(name, hint=True, error=False, as_heading=False))
    assert not [element for element in elements if element.tag == "h1"]
    if name != "note":
        words = [e for e in elements if "label" in e.attrs.get("class", "").split()]
        assert [element.all_text() for element in words] == ["The question"]


@pytest.mark.parametrize("name", sorted(set(FIELD_TYPES) - NOT_ASKED))
def test_the_answer_given_is_shown_again(name):
    field_type = FIELD_TYPES[name]
    shown = screens.shown(field_type.example_field(), field_type.valid[0][1])
    elements = _parse(_render(name, hint=False, error=False))
    controls = [e for e in elements if e.tag in FORM_CONTROLS]
    ticked = [e.attrs["value"] for e in controls if "checked" in e.attrs]
    typed = [
        e.attrs.get("value", e.all_text())
        for e in controls
        if e.attrs.get("type") not in {"radio", "checkbox"}
    ]
    if name == "date":
        assert typed == [shown["day"], shown["month"], shown["year"]]
    elif name == "select_multiple":
        assert ticked == shown
    elif name in {"select_one", "yes_no"}:
        assert ticked == [shown]
    elif name == "consent":
        assert ticked == ["yes"]
    elif name == "note":
        assert controls == []
    else:
        assert typed == [shown]


def test_a_national_id_with_a_rule_asks_for_digits():
    html = _render("national_id", hint=False, error=False)
    assert 'inputmode="numeric"' in html
    free = (
        FIELD_TYPES["national_id"]
        .example_field()
        .model_copy(update={"id_rule": "none", "id_length": None})
    )
    page = ENV.get_template("fields/national_id.html").render(
        field=free, input="answer", as_heading=True, label="ID", value=None
    )
    assert "inputmode" not in page and 'autocapitalize="characters"' in page


@pytest.mark.parametrize(
    ("widget", "attributes"),
    [
        ("phone", ['type="tel"', 'autocomplete="tel"', 'inputmode="tel"']),
        ("email", ['type="email"', 'autocomplete="email"', 'spellcheck="false"']),
        ("long_text", ["<textarea", 'maxlength="20"']),
        ("consent", ['type="checkbox"', 'value="yes"', "I agree"]),
    ],
)
def test_widgets_tell_the_keyboard_what_to_offer(widget, attributes):
    html = _render(widget, hint=False, error=False)
    for attribute in attributes:
        assert attribute in html
