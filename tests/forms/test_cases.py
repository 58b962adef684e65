"""Case types (forms/cases.py) and a form's ``case:`` block."""

from __future__ import annotations

import pytest
import yaml

from forms.cases import FieldRule, load_case_type, load_case_types
from forms.check import Finding, check_directory
from forms.errors import DefinitionError
from forms.library import load_definition


def _household() -> dict:
    return {
        "name": "household",
        "fields": {
            "head_name": {"label": {"en": "Head of the household"}},
            "members": {"type": "integer"},
            "phones": {"rule": "set"},
            "status": {"rule": "status", "order": ["registered", "closed"]},
        },
        "identity": {"name": "head_name"},
    }


def _write_case_type(tmp_path, data, name="household.yaml"):
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_household_type_ships_with_the_forms():
    household = load_case_types()["household"]
    assert {name: rule.rule for name, rule in household.fields.items()} == {
        "reference": "value",
        "head_name": "value",
        "national_id": "value",
        "date_of_birth": "value",
        "village": "value",
        "phones": "set",
        "notes": "notes",
        "status": "status",
        "members": "value",
    }
    assert household.rule("status").order == ["registered", "visited", "supported", "closed"]
    assert household.rule("members").type == "integer"
    assert household.identity is not None and household.identity.place == "village"
    assert household.rule("village").label.get("fr", "en") == "Village"
    assert household.reference == "reference"


def test_a_directory_without_case_types_has_none(tmp_path):
    assert load_case_types(tmp_path) == {}


@pytest.mark.parametrize(
    ("change", "location", "message"),
    [
        ({"name": "House Hold"}, "name", "must start with a lowercase letter"),
        ({"fields": {}}, "fields", "at least one field is needed"),
        ({"fields": {"Head": {}}}, "fields.Head", "must start with a lowercase letter"),
        ({"fields": {"s": {"rule": "status"}}}, "fields.s.order", "needs its order"),
        ({"fields": {"s": {"rule": "status", "order": ["a", "a"]}}}, "fields.s.order.1", "twice"),
        ({"fields": {"p": {"rule": "set", "order": ["a"]}}}, "fields.p.order", "only status"),
        ({"fields": {"p": {"rule": "latest"}}}, "fields.p.rule", "Input should be"),
        ({"identity": {"name": "nobody"}}, "identity.name", "has no field called 'nobody'"),
        ({"identity": {"name": "phones"}}, "identity.name", "must be a value field"),
        ({"fields": {"x": {"label": {"fr": "Nom"}}}}, "fields.x.label", "default language"),
        ({"colour": "blue"}, "colour", "is not a known key"),
        ({"reference": "nobody"}, "reference", "has no field called 'nobody'"),
        ({"reference": "phones"}, "reference", "must be a text value field"),
    ],
)
def test_problems_in_a_case_type_name_where_they_are(tmp_path, change, location, message):
    path = _write_case_type(tmp_path, {**_household(), **change})
    with pytest.raises(DefinitionError) as error:
        load_case_type(path)
    assert error.value.file == "cases/household.yaml"
    [(where, what)] = error.value.problems
    assert where == location and message in what


def test_two_case_types_with_one_name_are_refused(tmp_path):
    _write_case_type(tmp_path, _household())
    _write_case_type(tmp_path, _household(), "other.yaml")
    with pytest.raises(DefinitionError, match="already used by cases/household.yaml"):
        load_case_types(tmp_path)


@pytest.mark.parametrize(
    ("rule", "accepted", "refused"),
    [
        ({"type": "text"}, ["Awa", None], [3, True, ["Awa"]]),
        ({"type": "integer"}, [3, -1], [True, 2.5, "3"]),
        ({"type": "decimal"}, [3, 2.5, "2.5"], [False, [1]]),
        ({"type": "date"}, ["2026-11-26"], ["26/11/2026", 20261126]),
        ({"rule": "set"}, [[], ["+254700000001"]], ["+254700000001", [1]]),
        ({"rule": "notes"}, [[], ["a", {"text": "b"}]], ["a"]),
        ({"rule": "status", "order": ["open", "closed"]}, ["open", None], ["lost", 1]),
    ],
)
def test_a_field_accepts_only_values_that_fit_it(rule, accepted, refused):
    field = FieldRule.model_validate(rule)
    assert all(field.accepts(value) for value in accepted)
    assert not any(field.accepts(value) for value in refused)


def _form(minimal, **case):
    return {**minimal, "case": case}


def test_a_form_links_to_a_case_type(minimal, write):
    data = _form(minimal, type="household", create=True, fields={"head_name": "full_name"})
    definition = load_definition(write(data))
    assert definition.case is not None and definition.case.fields == {"head_name": "full_name"}
    assert definition.case.create and definition.case.id_field is None


@pytest.mark.parametrize(
    ("case", "location", "message"),
    [
        ({"fields": {"head_name": "nobody"}}, "case.fields.head_name", "no field called 'nobody'"),
        ({"fields": {"members": "copies"}, "id_field": "ref"}, "case.id_field", "no field called"),
        (
            {"fields": {"head_name": "full_name"}, "create": False},
            "case.id_field",
            "needs id_field",
        ),
        ({"fields": {}}, "case.fields", "at least one case field"),
    ],
)
def test_a_case_block_names_fields_the_form_has(minimal, write, case, location, message):
    case = {"type": "household", "create": True, **case}
    with pytest.raises(DefinitionError) as error:
        load_definition(write(_form(minimal, **case)))
    [(where, what)] = error.value.problems
    assert where == location and message in what


def test_a_case_field_cannot_take_an_answer_inside_a_repeat(minimal, write):
    minimal["fields"].append(
        {
            "name": "people",
            "type": "repeat",
            "label": {"en": "Person", "fr": "Personne"},
            "fields": [{"name": "person", "type": "text", "label": {"en": "Name", "fr": "Nom"}}],
        }
    )
    data = _form(minimal, type="household", create=True, fields={"head_name": "person"})
    with pytest.raises(DefinitionError, match="inside a repeat"):
        load_definition(write(data))


def test_forms_check_reports_unknown_case_types_and_fields(minimal, write, tmp_path):
    _write_case_type(tmp_path, _household())
    write(_form(minimal, type="household", create=True, fields={"shoe_size": "copies"}))
    write(
        {**_form(minimal, type="boat", create=True, fields={"x": "copies"}), "id": "other"},
        "other.yaml",
    )
    assert check_directory(tmp_path) == [
        Finding(
            "minimal.yaml",
            "case.fields.shoe_size",
            "the household case type has no field called 'shoe_size'",
        ),
        Finding("other.yaml", "case.type", "there is no case type called 'boat'"),
    ]


def test_forms_check_reports_broken_case_types_and_then_leaves_forms_alone(
    minimal, write, tmp_path
):
    _write_case_type(tmp_path, {**_household(), "fields": {}})
    _write_case_type(tmp_path, {**_household(), "name": "person"}, "people.yaml")
    write(_form(minimal, type="boat", create=True, fields={"x": "copies"}))
    assert check_directory(tmp_path) == [
        Finding("cases/household.yaml", "fields", "at least one field is needed"),
        Finding(
            "cases/people.yaml",
            "name",
            "'person' does not match the file name 'people.yaml'",
            "warning",
        ),
    ]
