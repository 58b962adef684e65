"""Reference lists: choices from a CSV (villages, offices), shipped with the forms or
published by central, and XLSForm's select_one_from_file."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml

from forms.answers import choices
from forms.check import check_directory
from forms.errors import DefinitionError, FieldError
from forms.library import DEFAULT_DIRECTORY, load_definition, load_directory
from forms.pages import Slot
from forms.reference_lists import ListError, as_entries, from_entries, load_lists, read_csv
from forms.schema import FormDefinition
from forms.validation import parse_answer
from forms.xlsform import import_xlsform
from tests.forms.conftest import HEAD

WARDS = (
    "name,label,label::French (fr),label::ar,district\n"
    "kondele,Kondele,Kondélé,كونديلي,kisumu\n"
    "milimani,Milimani,,ميليماني,kisumu\n"
    "lurambi,Lurambi,Lurambi,,kakamega\n"
)


@pytest.fixture
def form(minimal):
    """The minimal form, its ``region`` question taking its choices as ``region`` says."""

    def make(**region) -> dict:
        data = copy.deepcopy(minimal)
        del data["fields"][2]["choices"]
        data["fields"][2].update(region)
        return data

    return make


def test_a_csv_gives_a_label_per_language_and_other_columns_as_properties():
    wards = read_csv("\ufeff" + WARDS)
    assert [w.value for w in wards] == ["kondele", "milimani", "lurambi"]
    assert wards[0].label.raw == {"en": "Kondele", "fr": "Kondélé", "ar": "كونديلي"}
    assert wards[1].label.raw == {"en": "Milimani", "ar": "ميليماني"}  # an empty cell is no text
    assert wards[2].properties == {"district": "kakamega"}
    assert from_entries(as_entries(wards)) == wards
    assert as_entries(wards)[2] == {
        "name": "lurambi",
        "label": {"en": "Lurambi", "fr": "Lurambi"},
        "properties": {"district": "kakamega"},
    }


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("label\nKondele\n", "the CSV has no “name” column"),
        ("name,district\nkondele,kisumu\n", "the CSV has no “label” column"),
        ("name,label\n", "the CSV has no rows"),
        ("name,label\nkondele,Kondele\n,Nowhere\n", "row 3: the name is empty"),
        (
            "name,label\nkondele,Kondele\nkondele,Again\n",
            "row 3: the name kondele is also on row 2",
        ),
        ("name,label,label::fr\nkondele,,\n", "row 2 (kondele): no label in any language"),
    ],
)
def test_a_csv_that_is_not_a_list_says_where(text, said):
    with pytest.raises(ListError) as error:
        read_csv(text)
    assert str(error.value) == said


def test_a_question_takes_its_choices_from_a_list_and_a_filter_tests_its_columns(form):
    definition = FormDefinition.model_validate(form(choices_from="wards"))
    ward = definition.field("region")
    assert definition.lists_needed == {"wards"} and definition.lists_missing == {"wards"}
    assert definition.choices(ward) == []
    ready = definition.with_reference_lists({"wards": read_csv(WARDS), "other": []})
    assert ready.lists_missing == set() and list(ready.reference_lists) == ["wards"]
    assert [c.value for c in ready.choices(ward)] == ["kondele", "milimani", "lurambi"]
    assert parse_answer(ready.written_out(ward), "lurambi", date.today()) == "lurambi"
    refused = parse_answer(ready.written_out(ward), "elsewhere", date.today())
    assert isinstance(refused, FieldError) and refused.code == "not_a_choice"
    # stored with the list, a version a draft keeps still has its choices
    again = FormDefinition.model_validate_json(ready.model_dump_json(exclude_unset=True))
    assert again.choices(ward) == ready.choices(ward)
    # a newer list replaces the one written in
    newer = ready.with_reference_lists({"wards": read_csv("name,label\nnyalenda,Nyalenda\n")})
    assert [c.value for c in newer.choices(ward)] == ["nyalenda"]
    assert newer.with_reference_lists({}) is newer

    filtered = FormDefinition.model_validate(
        form(choices_from="wards", choice_filter="district = ${full_name}")
    ).with_reference_lists({"wards": read_csv(WARDS)})
    slot = Slot(filtered.field("region"), "region")
    offered = choices(filtered, slot, {"full_name": "kisumu"}, date.today())
    assert [c.value for c in offered] == ["kondele", "milimani"]


@pytest.mark.parametrize(
    ("village", "said"),
    [
        ({"choices_from": "wards", "choices": [{"value": "a", "label": "A"}]}, "not both"),
        ({"choices_from": "wards", "choice_list": "wards"}, "not both"),
        ({"choices_from": "no spaces here"}, "String should match pattern"),
    ],
)
def test_a_list_is_named_once_and_by_a_plain_name(form, village, said):
    with pytest.raises(ValueError, match=said):
        FormDefinition.model_validate(form(**village))


def test_only_a_select_takes_a_list(form):
    data = form(choices_from="wards")
    data["fields"][0]["choices_from"] = "wards"
    with pytest.raises(ValueError, match="only select_one and select_multiple"):
        FormDefinition.model_validate(data)


def test_a_forms_directory_ships_its_lists_and_writes_them_into_its_forms(form, tmp_path):
    (tmp_path / "minimal.yaml").write_text(yaml.safe_dump(form(choices_from="wards")))
    assert load_directory(tmp_path)["minimal"].lists_missing == {"wards"}
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "wards.csv").write_text(WARDS)
    loaded = load_directory(tmp_path)["minimal"]
    assert loaded.lists_missing == set() and len(loaded.choices(loaded.field("region"))) == 3
    assert "reference_lists" not in load_definition(tmp_path / "minimal.yaml").model_fields_set
    (tmp_path / "lists" / "broken.csv").write_text("label\nNo name\n")
    with pytest.raises(DefinitionError, match="lists/broken.csv: the CSV has no “name” column"):
        load_directory(tmp_path)


def test_the_demo_household_forms_share_the_shipped_villages():
    villages = load_lists(DEFAULT_DIRECTORY)["villages"]
    for form_id in ("household-registration", "household-update"):
        definition = load_directory()[form_id]
        assert definition.choices(definition.field("village")) == villages


def test_select_one_from_file_imports_as_a_reference_list(workbook):
    path = workbook(
        [
            [*HEAD, "choice_filter"],
            ["text", "district", "District", ""],
            ["select_one_from_file wards.csv", "ward", "Ward", "district = ${district}"],
            ["select_multiple_from_file wards.csv", "visited", "Visited", ""],
        ]
    )
    definition = import_xlsform(path)
    ward, visited = definition.field("ward"), definition.field("visited")
    assert (ward.choices_from, ward.choice_filter) == ("wards", "district = ${district}")
    assert (visited.type, visited.choices_from) == ("select_multiple", "wards")


def test_forms_check_warns_of_a_list_the_directory_does_not_ship(form, tmp_path):
    (tmp_path / "minimal.yaml").write_text(yaml.safe_dump(form(choices_from="wards")))
    assert [str(f) for f in check_directory(tmp_path)] == [
        "minimal.yaml: fields.2.choices_from: the reference list 'wards' is not in"
        " lists/wards.csv: kiosks offer this form only once central publishes it"
    ]
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "wards.csv").write_text(WARDS)
    assert check_directory(tmp_path) == []
    (tmp_path / "lists" / "wards.csv").write_text("name,label\n")
    assert [(f.file, f.message, f.severity) for f in check_directory(tmp_path)] == [
        ("lists/wards.csv", "the CSV has no rows", "error")
    ]
