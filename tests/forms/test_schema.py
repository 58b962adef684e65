from datetime import date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from forms.schema import Field, FormDefinition


def _field(**settings):
    return Field.model_validate({"name": "answer", "label": "Answer", **settings})


def test_navigation(minimal):
    definition = FormDefinition.model_validate(minimal)
    assert definition.names == ["full_name", "copies", "region"]
    assert definition.field("copies").type == "integer"
    assert [field.name for field in definition.all_fields()] == definition.names
    assert definition.item("region") is definition.field("region")
    for method in (definition.field, definition.item):
        with pytest.raises(KeyError):
            method("nope")


def test_texts_names_every_piece_of_text_with_its_path(minimal):
    minimal["fields"][0]["hint"] = "Hint"
    minimal["what_happens_next"] = "We call you."
    definition = FormDefinition.model_validate(minimal)
    assert [location for location, _ in definition.texts()] == [
        "title",
        "description",
        "what_happens_next",
        "fields.0.label",
        "fields.0.hint",
        "fields.1.label",
        "fields.2.label",
        "fields.2.choices.0.label",
        "fields.2.choices.1.label",
    ]


def test_definitions_cannot_be_changed(minimal):
    definition = FormDefinition.model_validate(minimal)
    with pytest.raises(ValidationError):
        definition.version = "2"  # type: ignore[misc]


def test_defaults():
    field = _field(type="text")
    assert (field.required, field.max_length, field.min, field.choices) == (True, 200, None, None)


@pytest.mark.parametrize(
    ("type_", "written", "read"),
    [
        ("integer", 3, 3),
        ("integer", "-3", -3),
        ("decimal", 0.1, Decimal("0.1")),
        ("decimal", "2.50", Decimal("2.50")),
        ("decimal", 7, 7),
        ("date", date(2000, 1, 31), date(2000, 1, 31)),
        ("date", "2000-01-31", date(2000, 1, 31)),
        ("date", "today", "today"),
        ("date", "today-18y", "today-18y"),
        ("date", "today+30d", "today+30d"),
    ],
)
def test_bounds_are_read_as_numbers_and_dates(type_, written, read):
    assert _field(type=type_, min=written).min == read


def test_bounds_from_today_are_not_compared():
    field = _field(type="date", min="today", max="today-18y")  # checked on the day
    assert (field.min, field.max) == ("today", "today-18y")


def test_type_settings_and_their_defaults():
    assert _field(type="long_text").max_length == 2000
    assert _field(type="long_text", max_length=500).max_length == 500
    assert _field(type="phone").region == "ZZ"
    assert _field(type="phone", region="KE").region == "KE"
    assert (_field(type="national_id").id_rule, _field(type="national_id").id_length) == (
        "none",
        None,
    )
    choices = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
    field = _field(type="select_multiple", choices=choices, min_choices=2, max_choices=2)
    assert (field.min_choices, field.max_choices) == (2, 2)


@pytest.mark.parametrize(
    ("settings", "location", "message"),
    [
        (
            {"name": "Full name"},
            "fields.0.name",
            "must start with a lowercase letter and use only a-z, 0-9 and _ (got 'Full name')",
        ),
        ({"name": "copies"}, "fields.1.name", "the name 'copies' is already used by fields.0"),
        (
            {"type": "number"},
            "fields.0.type",
            "Input should be 'text', 'long_text', 'integer', 'decimal', 'date', 'select_one', "
            "'select_multiple', 'yes_no', 'phone', 'email', 'national_id', 'note', 'consent' or "
            "'calculate' "
            "(got 'number')",
        ),
        (
            {"choices": [{"value": "a", "label": "A"}]},
            "fields.0.choices",
            "only select_one and select_multiple fields have choices (this one is text)",
        ),
        ({"type": "select_one"}, "fields.0.choices", "at least one choice is needed"),
        (
            {"type": "select_one", "choices": []},
            "fields.0.choices",
            "at least one choice is needed",
        ),
        (
            {"type": "select_one", "choices": [{"value": "a", "label": "A"}] * 2},
            "fields.0.choices.1.value",
            "the value 'a' is already used by choices.0",
        ),
        (
            {"type": "select_one", "choices": [{"value": True, "label": "Yes"}]},
            "fields.0.choices.0.value",
            "must be text (got True); put it in quotes",
        ),
        (
            {"type": "integer", "min": 6, "max": 5},
            "fields.0.min",
            "min (6) is greater than max (5)",
        ),
        (
            {"type": "date", "min": "2000-01-02", "max": "2000-01-01"},
            "fields.0.min",
            "min (2000-01-02) is greater than max (2000-01-01)",
        ),
        (
            {"min": 1},
            "fields.0.min",
            "only integer, decimal and date fields have min (this one is text)",
        ),
        (
            {"type": "integer", "max": 1.5},
            "fields.0.max",
            "must be a whole number for integer fields (got 1.5)",
        ),
        (
            {"type": "decimal", "min": "today"},
            "fields.0.min",
            "must be a number for decimal fields (got today)",
        ),
        (
            {"type": "date", "max": 2000},
            "fields.0.max",
            "must be a date like 2000-01-31, today or a day from today like today-18y "
            "for date fields (got 2000)",
        ),
        (
            {"type": "date", "max": "2001-02-29"},
            "fields.0.max",
            "is not a real date (got '2001-02-29')",
        ),
        (
            {"type": "date", "max": "tomorrow"},
            "fields.0.max",
            "must be a number, a date like 2000-01-31, today or a day from today like today-18y "
            "(got 'tomorrow')",
        ),
        (
            {"type": "decimal", "max": float("inf")},
            "fields.0.max",
            "must be a finite number (got inf)",
        ),
        (
            {"type": "integer", "min": True},
            "fields.0.min",
            "must be a number, a date or the word today (got True)",
        ),
        (
            {"max_length": 10, "type": "integer"},
            "fields.0.max_length",
            "only text and long_text fields have max_length (this one is integer)",
        ),
        ({"max_length": 0}, "fields.0.max_length", "Input should be greater than 0 (got 0)"),
        (
            {"type": "date", "min": "today-18w"},
            "fields.0.min",
            "must be a number, a date like 2000-01-31, today or a day from today like today-18y "
            "(got 'today-18w')",
        ),
        (
            {"type": "integer", "min": "today-18y"},
            "fields.0.min",
            "must be a whole number for integer fields (got today-18y)",
        ),
        (
            {"type": "select_multiple"},
            "fields.0.choices",
            "at least one choice is needed",
        ),
        (
            {"min_choices": 1},
            "fields.0.min_choices",
            "only select_multiple fields have min_choices (this one is text)",
        ),
        (
            {"type": "select_one", "max_choices": 1, "choices": [{"value": "a", "label": "A"}]},
            "fields.0.max_choices",
            "only select_multiple fields have max_choices (this one is select_one)",
        ),
        (
            {
                "type": "select_multiple",
                "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                "min_choices": 2,
                "max_choices": 1,
            },
            "fields.0.min_choices",
            "min_choices (2) is greater than max_choices (1)",
        ),
        (
            {
                "type": "select_multiple",
                "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                "min_choices": 3,
            },
            "fields.0.min_choices",
            "min_choices (3) is more than the 2 choices",
        ),
        (
            {
                "type": "select_multiple",
                "choices": [{"value": "a", "label": "A"}],
                "max_choices": -1,
            },
            "fields.0.max_choices",
            "Input should be greater than 0 (got -1)",
        ),
        ({"region": "KE"}, "fields.0.region", "only phone fields have region (this one is text)"),
        (
            {"type": "phone", "region": "Kenya"},
            "fields.0.region",
            "must be a country code such as KE or SN, or ZZ for +country numbers only "
            "(got 'Kenya')",
        ),
        (
            {"type": "phone", "region": "ke"},
            "fields.0.region",
            "must be a country code such as KE or SN, or ZZ for +country numbers only (got 'ke')",
        ),
        (
            {"type": "national_id", "id_rule": "mod11"},
            "fields.0.id_rule",
            "Input should be 'luhn', 'verhoeff' or 'none' (got 'mod11')",
        ),
        (
            {"type": "integer", "id_length": 8},
            "fields.0.id_length",
            "only national_id fields have id_length (this one is integer)",
        ),
        (
            {"type": "national_id", "max_length": 8},
            "fields.0.max_length",
            "only text and long_text fields have max_length (this one is national_id)",
        ),
        (
            {"type": "note", "required": False},
            "fields.0.required",
            "a note takes no answer, so it has no required",
        ),
        (
            {"type": "consent", "choices": [{"value": "yes", "label": "Yes"}]},
            "fields.0.choices",
            "only select_one and select_multiple fields have choices (this one is consent)",
        ),
        ({"lable": "Name"}, "fields.0.lable", "is not a known key (check the spelling)"),
        (
            {"label": None},
            "fields.0.label",
            "must be text or a mapping of language codes to text (got None); put it in quotes",
        ),
        ({"label": {"fr": "Nom"}}, "fields.0.label", "has no text in the default language 'en'"),
    ],
)
def test_field_problems(minimal, problems, settings, location, message):
    minimal["fields"][0].update(settings)
    assert problems(minimal) == [(location, message)]


def test_a_datetime_bound_is_refused(minimal, problems):
    minimal["fields"][0].update(type="date", max=datetime(2000, 1, 1, 10))
    assert problems(minimal) == [
        ("fields.0.max", "must be a date without a time (got 2000-01-01T10:00:00)")
    ]


@pytest.mark.parametrize(
    ("settings", "location", "message"),
    [
        (
            {"id": "Birth_Cert"},
            "id",
            "must start with a lowercase letter and use only a-z, 0-9 and - (got 'Birth_Cert')",
        ),
        ({"version": 1.0}, "version", "must be text (got 1.0); put it in quotes"),
        ({"version": ""}, "version", "must not be empty or start or end with a space (got '')"),
        ({"languages": []}, "languages", "at least one language is needed"),
        ({"languages": ["en", "fr", "en"]}, "languages", "'en' is listed twice"),
        (
            {"languages": ["en", "French"]},
            "languages",
            "must be a language code such as en, fr or pt_BR (got 'French')",
        ),
        (
            {"default_language": "fr", "languages": ["en"]},
            "languages",
            "must include the default language 'fr'",
        ),
        ({"fields": []}, "fields", "at least one field is needed"),
        ({"title": {"fr": "Titre"}}, "title", "has no text in the default language 'en'"),
        ({"colour": "blue"}, "colour", "is not a known key (check the spelling)"),
    ],
)
def test_form_problems(minimal, problems, settings, location, message):
    minimal.update(settings)
    assert problems(minimal) == [(location, message)]


def test_a_missing_key_is_named(minimal, problems):
    del minimal["title"]
    del minimal["fields"][2]["label"]
    assert problems(minimal) == [("title", "is required"), ("fields.2.label", "is required")]


def test_a_choice_label_without_the_default_language_is_located(minimal, problems):
    minimal["fields"][2]["choices"][1]["label"] = {"fr": "Sud"}
    assert problems(minimal) == [
        ("fields.2.choices.1.label", "has no text in the default language 'en'")
    ]


def test_several_problems_are_all_reported(minimal, problems):
    minimal["id"] = "X"
    minimal["fields"][0]["name"] = "Name"
    minimal["fields"][1]["type"] = "numbr"
    assert [location for location, _ in problems(minimal)] == [
        "id",
        "fields.0.name",
        "fields.1.type",
    ]


def test_the_json_schema_can_be_generated():
    schema = FormDefinition.model_json_schema()
    assert schema["additionalProperties"] is False
    assert "fields" in schema["required"]
