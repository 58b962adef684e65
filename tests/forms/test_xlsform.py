"""XLSForm import of pyxform's own example workbooks (``xlsforms/``, BSD, see its LICENSE):
each one either imports into a valid definition that round-trips, or is refused with
exactly the expected sheet/row/feature messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from forms.answers import calculate
from forms.check import check_definition
from forms.library import dump_definition, load_definition
from forms.pages import pages
from forms.schema import Field, FormDefinition
from forms.xlsform import XLSFormRefused, import_xlsform, main_import, read_xlsform

WORKBOOKS = Path(__file__).parent / "xlsforms"
TODAY = date(2026, 11, 20)


@dataclass(frozen=True)
class Imports:
    id: str
    items: dict[str, str]  # every field, group and repeat name, depth first, with its type
    languages: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class Refused:
    problems: tuple[str, ...]


def _survey(row: int, message: str) -> str:
    return f"survey sheet, row {row}: {message}"


def _choices(row: int, message: str) -> str:
    return f"choices sheet, row {row}: {message}"


_MEDIA = "images, audio and video in choices are not supported"
_GRID = "table-list groups (questions as a grid) are not supported"

EXPECTED: dict[str, Imports | Refused] = {
    "calculate.xls": Imports(
        "calculate-test",
        {
            "calculate_test": "calculate",
            "calculate_test_output": "note",
            "calculate_test_2": "calculate",
            "calculate_test_2_output": "note",
        },
    ),
    "case_insensitivity.xlsx": Refused(
        (
            _survey(3, "select_one_external questions are not supported (field 'q2')"),
            _survey(4, "OpenStreetMap (osm) questions are not supported (field 'q3')"),
            "entities sheet: entities (updating server datasets) are not supported",
            "external_choices sheet: external choices (select_one_external) are not supported",
            "osm sheet: OpenStreetMap questions are not supported",
        )
    ),
    "choice_filter_test.xlsx": Imports(
        "cascading-selects1", {"state": "select_one", "county": "select_one", "city": "select_one"}
    ),
    "group.xlsx": Imports(
        "group",
        {"family_name": "text", "father": "group", "phone_number": "phone", "age": "integer"},
    ),
    "loop.xlsx": Refused(
        (
            _survey(
                3,
                "begin loop (one group per choice) is not supported; use a repeat"
                " (loop 'loop_toilet_types')",
            ),
        )
    ),
    "specify_other.xlsx": Imports("specify-other", {"sex": "select_one", "sex_other": "text"}),
    "text_and_integer.xlsx": Imports(
        "text-and-integer", {"your_name": "text", "your_age": "integer"}
    ),
    "widgets.xls": Refused(
        (
            _survey(4, "default answers are not supported (field 'my_decimal')"),
            _survey(5, "default answers are not supported (field 'my_date')"),
            _survey(6, "time questions are not supported (field 'my_time')"),
            _survey(7, "default answers are not supported (field 'my_select')"),
            _survey(8, "default answers are not supported (field 'my_select1')"),
            _survey(
                10,
                "read-only questions are not supported (use a note or a calculate)"
                " (field 'my_output')",
            ),
            _survey(11, "geopoint questions are not supported (field 'my_geopoint')"),
            _survey(12, "barcode questions are not supported (field 'my_barcode')"),
            _survey(13, "image questions are not supported (field 'my_image')"),
            _survey(14, "audio questions are not supported (field 'my_audio')"),
            _survey(15, "video questions are not supported (field 'my_video')"),
            _survey(17, "geopoint questions are not supported (field 'locationMap')"),
            _survey(18, "dateTime questions are not supported (field 'dateTime')"),
            _survey(25, "the appearance 'label' is not supported (field 'table_list_test_label')"),
            _survey(26, "the appearance 'list-nolabel' is not supported (field 'table_list_1')"),
            _survey(27, "the appearance 'list-nolabel' is not supported (field 'table_list_2')"),
            _survey(29, f"{_GRID} (group 'table_list_test2')"),
            _survey(
                34, "the appearance 'label' is not supported (field 'happy_sad_second_method')"
            ),
            _survey(
                35, "the appearance 'list-nolabel' is not supported (field 'happy_sad_brian2')"
            ),
            _survey(
                36, "the appearance 'list-nolabel' is not supported (field 'happy_sad_michael2')"
            ),
            _survey(38, f"{_GRID} (group 'happy_sad_table')"),
            _choices(20, f"{_MEDIA} (choice 'a' in list 'a_b')"),
            _choices(21, f"{_MEDIA} (choice 'b' in list 'a_b')"),
            _choices(23, "a choice needs a label (choice 'happy' in list 'happy_sad')"),
            _choices(23, f"{_MEDIA} (choice 'happy' in list 'happy_sad')"),
            _choices(24, "a choice needs a label (choice 'sad' in list 'happy_sad')"),
            _choices(24, f"{_MEDIA} (choice 'sad' in list 'happy_sad')"),
        )
    ),
    "yes_or_no_question.xlsx": Imports("yes-or-no-question", {"good_day": "select_one"}),
}


def test_every_shared_workbook_has_an_expected_outcome():
    found = {path.name for path in WORKBOOKS.iterdir() if path.suffix in (".xls", ".xlsx")}
    assert found == set(EXPECTED)
    assert (WORKBOOKS / "LICENSE-pyxform").is_file()


def _params(kind: type) -> list[str]:
    return [name for name, outcome in EXPECTED.items() if isinstance(outcome, kind)]


@pytest.mark.parametrize("name", _params(Imports))
def test_a_supported_workbook_imports_into_a_definition_that_round_trips(name, tmp_path):
    expected = EXPECTED[name]
    assert isinstance(expected, Imports)
    definition = import_xlsform(WORKBOOKS / name)
    assert isinstance(definition, FormDefinition)
    assert definition.id == expected.id
    assert tuple(definition.languages) == expected.languages
    assert {item.name: item.type for _, item in definition.items()} == expected.items
    assert list(definition.names) == [n for n, t in expected.items.items() if t != "group"]
    written = tmp_path / f"{definition.id}.yaml"
    written.write_text(dump_definition(definition), encoding="utf-8")
    loaded = load_definition(written)
    assert loaded == definition
    assert dump_definition(loaded) == written.read_text(encoding="utf-8")
    assert [f for f in check_definition(loaded, written.name) if f.severity == "error"] == []
    assert pages(loaded, {}, TODAY)  # the kiosk's engine reads every expression


@pytest.mark.parametrize("name", _params(Refused))
def test_an_unsupported_workbook_is_refused_with_every_problem(name):
    expected = EXPECTED[name]
    assert isinstance(expected, Refused)
    with pytest.raises(XLSFormRefused) as refused:
        import_xlsform(WORKBOOKS / name)
    assert tuple(refused.value.problems) == expected.problems
    assert str(refused.value) == "\n".join(expected.problems)


def test_calculate_keeps_its_calculations_and_the_notes_show_them():
    definition = import_xlsform(WORKBOOKS / "calculate.xls")
    assert definition.field("calculate_test").calculation == "2+2"
    assert definition.field("calculate_test_2").calculation == (
        "if(${calculate_test_output}=${calculate_test_output}, 'success', 'error')"
    )
    assert definition.field("calculate_test").label.raw == "calculate_test"
    assert definition.field("calculate_test_output").label.raw == "2+2 = ${calculate_test}"
    assert not definition.field("calculate_test").asked
    answers: dict[str, object] = {}
    calculate(definition, answers, TODAY)
    assert answers == {"calculate_test": 4, "calculate_test_2": "success"}
    assert definition.version == "1"
    assert definition.title.raw == definition.description.raw == "calculate_test"


def test_a_yes_no_list_stays_a_select_one_with_its_two_choices():
    definition = import_xlsform(WORKBOOKS / "yes_or_no_question.xlsx")
    field = definition.field("good_day")
    assert (field.type, field.choice_list, field.required) == ("select_one", "yes_or_no", False)
    assert [(c.value, c.label.raw) for c in definition.choices(field)] == [
        ("yes", "yes"),
        ("no", "no"),
    ]


def test_or_other_adds_the_other_choice_and_a_question_asked_only_for_it():
    imported = read_xlsform(WORKBOOKS / "specify_other.xlsx")
    assert imported.notes[1] == (
        "survey sheet, row 2: or_other added the choice 'other' and the question 'sex_other'"
        " (worded 'Other' and 'Specify other.'; translate them if need be) (field 'sex')"
    )
    definition = imported.definition
    sex = definition.field("sex")
    assert [c.value for c in definition.choices(sex)] == ["male", "female", "other"]
    other = definition.field("sex_other")
    assert (other.type, other.required, other.relevant) == ("text", False, "${sex} = 'other'")


def test_a_group_keeps_its_questions_in_order():
    definition = import_xlsform(WORKBOOKS / "group.xlsx")
    father = definition.item("father")
    assert father.type == "group"
    assert father.label is not None and father.label.raw == "Father"
    assert not father.page
    assert [field.name for field in father.fields] == ["phone_number", "age"]


def test_notes_say_what_was_left_out(tmp_path):
    imported = read_xlsform(WORKBOOKS / "group.xlsx")
    assert imported.notes == [
        "settings sheet: no version; using 1",
        "survey sheet, row 4: phone number became phone: only +country numbers until you set"
        " its region (field 'phone_number')",
    ]
    assert imported.renamed == {}


def test_the_command_writes_the_definition_and_says_so(tmp_path, capsys):
    assert main_import(WORKBOOKS / "text_and_integer.xlsx", tmp_path) == 0
    written = tmp_path / "text-and-integer.yaml"
    assert load_definition(written) == import_xlsform(WORKBOOKS / "text_and_integer.xlsx")
    out, err = capsys.readouterr()
    assert out == (f"text_and_integer.xlsx: imported as {written} (2 fields; languages en)\n")
    assert err == "text_and_integer.xlsx: settings sheet: no version; using 1\n"


def test_the_command_never_overwrites_a_definition(tmp_path, capsys):
    written = tmp_path / "text-and-integer.yaml"
    written.write_text("mine", encoding="utf-8")
    assert main_import(WORKBOOKS / "text_and_integer.xlsx", tmp_path) == 1
    assert written.read_text(encoding="utf-8") == "mine"
    assert "already exists" in capsys.readouterr().err


def test_the_command_lists_every_problem_of_a_refused_workbook(tmp_path, capsys):
    assert main_import(WORKBOOKS / "loop.xlsx", tmp_path) == 1
    assert list(tmp_path.iterdir()) == []
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"loop.xlsx: {EXPECTED['loop.xlsx'].problems[0]}",  # type: ignore[union-attr]
        "loop.xlsx: not imported (1 problem)",
    ]


def test_every_imported_field_is_a_field_of_our_schema():
    for name in _params(Imports):
        for field in import_xlsform(WORKBOOKS / name).all_fields():
            assert Field.model_validate(field.model_dump(exclude_unset=True)) == field
