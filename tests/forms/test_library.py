from datetime import date
from decimal import Decimal

import pytest
import yaml

from forms.errors import DefinitionError
from forms.library import (
    DEFAULT_DIRECTORY,
    definition_files,
    dump_definition,
    load_definition,
    load_directory,
)
from forms.schema import FormDefinition

DEMO_FILES = sorted(DEFAULT_DIRECTORY.glob("*.yaml"))


def test_the_default_directory_ships_the_demo_forms():
    assert [path.name for path in definition_files(DEFAULT_DIRECTORY)] == [
        "birth-certificate.yaml",
        "household-registration.yaml",
        "household-update.yaml",
        "pension-support.yaml",
    ]
    assert list(load_directory()) == [
        "birth-certificate",
        "household-registration",
        "household-update",
        "pension-support",
    ]


@pytest.mark.parametrize("path", DEMO_FILES, ids=[path.name for path in DEMO_FILES])
def test_a_demo_form_dumps_back_to_its_file_unchanged(path):
    assert dump_definition(load_definition(path)) == path.read_text(encoding="utf-8")


def test_dump_writes_keys_in_model_order_and_only_those_written(minimal, write):
    minimal = dict(reversed(list(minimal.items())))
    text = dump_definition(load_definition(write(minimal)))
    assert [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")] == [
        "id",
        "version",
        "languages",
        "title",
        "description",
        "fields",
    ]
    assert "required" not in text
    assert "max_length" not in text


def test_dump_round_trips_every_kind_of_value(minimal, write):
    minimal["description"] = {"en": "Line one.\nLine two.", "fr": "Ligne un.\nLigne deux."}
    minimal["fields"] += [
        {"name": "income", "type": "decimal", "label": "Income", "min": 0.5, "max": 1000},
        {"name": "born", "type": "date", "label": "Born", "min": "1900-01-01", "max": "today"},
        {"name": "agree", "type": "yes_no", "label": "Agree?", "required": False},
        {"name": "adult", "type": "date", "label": "Born", "min": "today-120y", "max": "today-18y"},
        {"name": "story", "type": "long_text", "label": "What happened?"},
        {"name": "mobile", "type": "phone", "label": "Phone", "region": "KE"},
        {"name": "card", "type": "national_id", "label": "ID", "id_rule": "luhn", "id_length": 11},
        {"name": "about", "type": "note", "label": "About you", "hint": "We ask three things."},
        {
            "name": "answer",
            "type": "select_one",
            "label": "?",
            "choices": [{"value": "yes", "label": "yes"}, {"value": "12", "label": "12"}],
        },
    ]
    definition = load_definition(write(minimal))
    text = dump_definition(definition)
    assert "Line one.\n" in yaml.safe_load(text)["description"]["en"]
    assert "description:\n  en: |-\n    Line one.\n    Line two.\n" in text
    again = load_definition(write(text, "again.yaml"))
    assert again == definition
    assert again.field("income").min == Decimal("0.5")
    assert again.field("born").min == date(1900, 1, 1)
    assert again.field("adult").max == "today-18y"
    assert again.field("story").max_length == 2000
    assert "max_length" not in text  # long text's default is not written out
    assert dump_definition(again) == text


def test_a_decimal_bound_written_in_python_dumps_as_a_number():
    definition = FormDefinition.model_validate(
        {
            "id": "built",
            "version": "1",
            "languages": ["en"],
            "title": "Built",
            "description": "In code",
            "fields": [
                {"name": "a", "type": "decimal", "label": "A", "min": Decimal("5"), "max": 10}
            ],
        }
    )
    data = yaml.safe_load(dump_definition(definition))
    assert data["fields"][0]["min"] == 5.0
    assert isinstance(data["fields"][0]["min"], float)


def test_a_yaml_syntax_error_names_the_line(problems):
    text = "id: broken\nfields:\n  - name: a\n    label: [unclosed\n"
    [(location, message)] = problems(text)
    assert location.startswith("line 5, column")
    assert message


def test_a_key_given_twice_is_an_error(problems):
    text = "id: a\nversion: '1'\nid: b\n"
    assert problems(text) == [("line 3, column 1", "the key 'id' appears twice")]


@pytest.mark.parametrize("text", ["", "- a list\n", "just text\n"])
def test_a_file_that_is_not_a_mapping_is_an_error(problems, text):
    assert problems(text) == [("", "a form definition must be a YAML mapping")]


def test_the_error_message_names_the_file_and_the_field(minimal, write):
    minimal["fields"][2]["choices"] = []
    with pytest.raises(DefinitionError) as caught:
        load_definition(write(minimal, "birth-certificate.yaml"))
    assert (
        str(caught.value)
        == "birth-certificate.yaml: fields.2.choices: at least one choice is needed"
    )


def test_two_files_with_one_id_cannot_be_loaded_together(minimal, write, tmp_path):
    write(minimal, "a.yaml")
    write(minimal, "b.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    assert str(caught.value) == "b.yaml: id: 'minimal' is already used by a.yaml"


def test_load_directory_reads_only_yaml_files(minimal, write, tmp_path):
    write(minimal, "minimal.yaml")
    write("not: [a, form", "notes.txt")
    (tmp_path / "folder.yaml").mkdir()
    assert list(load_directory(tmp_path)) == ["minimal"]
