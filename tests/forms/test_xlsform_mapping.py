"""XLSForm import, feature by feature, on small workbooks written with openpyxl (``workbook``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forms.answers import choices
from forms.library import dump_definition
from forms.pages import Slot, pages
from forms.schema import FormDefinition
from forms.xlsform import XLSFormRefused, import_xlsform, read_xlsform, sanitise
from forms.xlsform.languages import language_code
from tests.forms.conftest import HEAD

WORKBOOKS = Path(__file__).parent / "xlsforms"
TODAY = date(2026, 11, 20)


def refused(path: Path) -> list[str]:
    with pytest.raises(XLSFormRefused) as error:
        import_xlsform(path)
    return error.value.problems


@pytest.mark.parametrize(
    ("name", "ours"),
    [
        ("age", "age"),
        ("Age", "age"),
        ("First-Name", "first_name"),
        ("numberAsString", "numberasstring"),
        ("a.b", "a_b"),
        ("âge", "age"),
        ("_id", "id"),
        ("2nd", "q_2nd"),
    ],
)
def test_sanitise_makes_every_name_one_of_ours(name, ours):
    assert sanitise(name) == ours


def test_names_are_sanitised_and_every_reference_follows(workbook):
    path = workbook(
        [
            [*HEAD, "relevant", "constraint", "hint", "calculation"],
            ["integer", "Age", "Age?", "", ". < 120", "", ""],
            ["text", "First-Name", "Name, aged ${Age}?", "${Age} >= 16", "", "Over ${Age}", ""],
            ["calculate", "Double", "", "", "", "", "${Age} * 2"],
        ]
    )
    imported = read_xlsform(path)
    assert imported.renamed == {"Age": "age", "First-Name": "first_name", "Double": "double"}
    definition = imported.definition
    assert definition.names == ["age", "first_name", "double"]
    name = definition.field("first_name")
    assert (name.relevant, name.label.raw) == ("${age} >= 16", "Name, aged ${age}?")
    assert name.hint is not None and name.hint.raw == "Over ${age}"


def test_names_that_become_the_same_are_refused(workbook):
    path = workbook(
        [
            HEAD,
            ["integer", "Age", "Age?"],
            ["begin group", "more", "More"],
            ["integer", "age", "Age again?"],
            ["end group", "", ""],
        ]
    )
    assert refused(path) == [
        "survey sheet, row 4: the name 'age' becomes 'age', which the name 'Age' on row 2"
        " already uses; names must be unique in the whole form"
    ]


def test_translations_become_language_codes_and_the_default_comes_from_settings(workbook):
    survey = [
        ["type", "name", "label::English (en)", "label::French (fr)", "hint::French (fr)"],
        ["select_one yn", "kids", "Kids?", "Enfants ?", "Tout âge"],
    ]
    survey[0] += [
        "constraint",
        "constraint_message::English (en)",
        "constraint_message::French (fr)",
    ]
    survey[1] += [". = 'yes'", "Say yes", "Dites oui"]
    path = workbook(
        survey,
        choices=[
            ["list_name", "name", "label::English (en)", "label::French (fr)"],
            ["yn", "yes", "Yes", "Oui"],
            ["yn", "no", "No", "Non"],
        ],
        settings=[
            ["form_title", "form_id", "version", "default_language"],
            ["Family", "Family_Form", "2024.1", "French (fr)"],
        ],
    )
    definition = import_xlsform(path)
    assert (definition.id, definition.version) == ("family-form", "2024.1")
    assert (definition.languages, definition.default_language) == (["en", "fr"], "fr")
    assert definition.title.raw == definition.description.raw == {"fr": "Family"}
    kids = definition.field("kids")
    assert kids.hint is not None and kids.hint.raw == {"fr": "Tout âge"}
    assert kids.label.raw == {"en": "Kids?", "fr": "Enfants ?"}
    assert kids.constraint_message is not None
    assert kids.constraint_message.raw == {"en": "Say yes", "fr": "Dites oui"}
    assert [c.label.raw for c in definition.choices(kids)] == [
        {"en": "Yes", "fr": "Oui"},
        {"en": "No", "fr": "Non"},
    ]


def test_text_without_default_language_text_is_refused(workbook):
    path = workbook(
        [
            ["type", "name", "label::English (en)", "hint::French (fr)"],
            ["text", "name", "Name?", "Votre nom"],
        ],
        settings=[["default_language"], ["English (en)"]],
    )
    assert refused(path) == [
        "survey sheet, row 2: the hint has no text in the default language (field 'name')"
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("French (fr)", "fr"),
        ("Português (pt-br)", "pt_BR"),
        ("EN", "en"),
        ("english", "en"),
        ("Swahili", "sw"),
        ("Elvish", None),
    ],
)
def test_a_language_name_gets_its_code(name, code):
    assert language_code(name) == code


def test_a_language_without_a_code_is_refused_at_its_column(workbook):
    path = workbook([["type", "name", "label::Elvish"], ["text", "name", "Name?"]])
    assert refused(path) == [
        "survey sheet, row 1: no language code for 'Elvish'; write it as 'Elvish (xx)'"
    ]


def test_untranslated_text_is_in_the_language_asked_for(workbook):
    definition = import_xlsform(workbook([HEAD, ["text", "jina", "Jina lako?"]]), language="sw")
    assert (definition.languages, definition.default_language) == (["sw"], "sw")
    assert definition.field("jina").label.raw == "Jina lako?"


def test_required_yes_no_or_an_expression(workbook):
    path = workbook(
        [
            [*HEAD, "required"],
            ["integer", "age", "Age?", "yes"],
            ["text", "name", "Name?", ""],
            ["text", "nick", "Nickname?", "no"],
            ["text", "school", "School?", "${age} < 18"],
        ]
    )
    definition = import_xlsform(path)
    found = {f.name: (f.required, f.required_if) for f in definition.all_fields()}
    assert found == {
        "age": (True, None),
        "name": (False, None),
        "nick": (False, None),
        "school": (False, "${age} < 18"),
    }


def test_choice_filters_read_the_choices_extra_columns():
    definition = import_xlsform(WORKBOOKS / "choice_filter_test.xlsx")
    county = definition.field("county")
    assert (county.choice_list, county.choice_filter) == ("counties", "${state}=cf")
    assert [c.properties for c in definition.choice_lists["counties"]][:2] == [
        {"cf": "washington"},
        {"cf": "washington"},
    ]
    offered = choices(definition, Slot(county), {"state": "texas"}, TODAY)
    assert [c.value for c in offered] == ["king", "cameron"]
    city = definition.field("city")
    offered = choices(definition, Slot(city), {"state": "texas", "county": "cameron"}, TODAY)
    assert [c.value for c in offered] == ["brownsville", "harlingen"]


def test_a_field_list_group_is_one_page(workbook):
    path = workbook(
        [
            [*HEAD, "appearance", "relevant"],
            ["begin group", "contact", "Contact", "field-list", ""],
            ["text", "phone", "Phone?", "", ""],
            ["text", "email", "Email?", "", "${phone} = ''"],
            ["end group", "", "", "", ""],
        ]
    )
    definition = import_xlsform(path)
    contact = definition.item("contact")
    assert (contact.type, contact.page) == ("group", True)
    assert [page.key for page in pages(definition, {}, TODAY)] == ["contact"]


def test_a_group_inside_a_field_list_group_is_refused(workbook):
    path = workbook(
        [
            [*HEAD, "appearance"],
            ["begin group", "outer", "Outer", "field-list"],
            ["begin group", "inner", "Inner", ""],
            ["text", "name", "Name?", ""],
            ["end group", "", "", ""],
            ["end group", "", "", ""],
        ]
    )
    assert refused(path) == [
        "survey sheet, row 3: groups inside a one-page (field-list) group are not supported"
        " (group 'inner')"
    ]


def test_repeats_with_and_without_a_fixed_count(workbook):
    path = workbook(
        [
            [*HEAD, "repeat_count", "appearance"],
            ["begin repeat", "members", "Household member", "", ""],
            ["text", "member", "Name?", "", ""],
            ["end repeat", "", "", "", ""],
            ["begin repeat", "visits", "Visit", "3", "field-list"],
            ["date", "day", "When?", "", ""],
            ["integer", "minutes", "How long?", "", ""],
            ["end repeat", "", "", "", ""],
        ]
    )
    definition = import_xlsform(path)
    members, visits = definition.item("members"), definition.item("visits")
    assert (members.type, members.min_count, members.max_count) == ("repeat", 0, 20)
    assert (visits.min_count, visits.max_count) == (3, 3)
    [page] = visits.fields
    assert (page.name, page.type, page.page) == ("visits_page", "group", True)
    assert [f.name for f in page.fields] == ["day", "minutes"]
    assert "min_count" not in dump_definition(definition).split("visits")[0]


def test_a_repeat_count_that_is_not_a_number_is_refused(workbook):
    path = workbook(
        [
            [*HEAD, "repeat_count"],
            ["integer", "size", "How many?", ""],
            ["begin repeat", "members", "Member", "${size}"],
            ["text", "member", "Name?", ""],
            ["end repeat", "", "", ""],
            ["begin repeat", "pets", "Pet", "${size} - 1"],
            ["text", "pet", "Name?", ""],
            ["end repeat", "", "", ""],
        ]
    )
    assert refused(path) == [
        "survey sheet, row 3: repeat_count '${size}' is not supported: only a fixed number"
        " from 1 to 200 (repeat 'members')",
        "survey sheet, row 6: repeat_count '${size} - 1' is not supported: only a fixed number"
        " from 1 to 200 (repeat 'pets')",
    ]


def test_other_types_map_to_ours(workbook):
    path = workbook(
        [
            [*HEAD, "appearance"],
            ["acknowledge", "agree", "I agree", ""],
            ["note", "welcome", "Welcome", ""],
            ["text", "story", "Tell us", "multiline"],
            ["select_multiple needs or_other", "needs", "Needs?", "minimal"],
            ["decimal", "weight", "Weight?", ""],
            ["date", "born", "Born?", "no-calendar"],
        ],
        choices=[["list_name", "name", "label"], ["needs", "water", "Water"]],
    )
    definition = import_xlsform(path)
    assert {f.name: f.type for f in definition.all_fields()} == {
        "agree": "consent",
        "welcome": "note",
        "story": "long_text",
        "needs": "select_multiple",
        "needs_other": "text",
        "weight": "decimal",
        "born": "date",
    }
    assert definition.field("needs_other").relevant == "selected(${needs}, 'other')"
    welcome = pages(definition, {}, TODAY)[1]
    assert welcome.key == "welcome"


def test_metadata_is_left_out_and_noted(workbook):
    path = workbook(
        [
            HEAD,
            ["start", "start", ""],
            ["end", "end", ""],
            ["today", "today", ""],
            ["deviceid", "deviceid", ""],
            ["username", "username", ""],
            ["audit", "", ""],
            ["text", "name", "Name?"],
        ]
    )
    imported = read_xlsform(path)
    assert imported.definition.names == ["name"]
    assert imported.notes == [
        "settings sheet: no version; using 1",
        *(
            f"survey sheet, row {row}: left out the {kind} metadata field (field '{kind}')"
            for row, kind in enumerate(["start", "end", "today", "deviceid", "username"], 2)
        ),
        "survey sheet, row 7: left out the audit metadata field (field 'audit')",
    ]


def test_a_reference_to_metadata_is_refused(workbook):
    path = workbook(
        [[*HEAD, "relevant"], ["start", "began", "", ""], ["text", "x", "X?", "${began} != ''"]]
    )
    assert refused(path) == [
        "survey sheet, row 3: ${began} refers to the start metadata field, not imported"
        " in the relevant (field 'x')"
    ]


def test_every_unsupported_feature_is_refused_with_its_row(workbook):
    path = workbook(
        [
            [*HEAD, "calculation", "appearance", "choice_filter", "default", "trigger", "relevant"],
            ["geopoint", "where", "Where?", "", "", "", "", "", ""],
            ["calculate", "price", "", "pulldata('p', 'c', 'k', 'v')", "", "", "", "", ""],
            [
                "select_one l",
                "pick",
                "Pick",
                "",
                "minimal search('x', 'matches', 'k', 'v')",
                "",
                "",
                "",
                "",
            ],
            ["select_one l", "pick2", "Pick", "", "", "instance('l')/root", "", "", ""],
            ["text", "said", "Say", "", "", "", "hello", "", ""],
            ["text", "again", "Again", "", "", "", "", "${said}", ""],
            ["text", "path", "Path", "", "", "", "", "", "../said = 'x'"],
            ["text", "odd", "Odd", "", "", "", "", "", "position(..) = 1"],
            ["range", "scale", "Scale", "", "", "", "", "", ""],
        ],
        choices=[["list_name", "name", "label"], ["l", "a", "A"]],
    )
    assert refused(path) == [
        "survey sheet, row 2: geopoint questions are not supported (field 'where')",
        "survey sheet, row 3: pulldata() (data from a CSV file) is not supported in the"
        " calculation (field 'price')",
        "survey sheet, row 4: search() appearances (choices from a CSV file) are not supported"
        " (field 'pick')",
        "survey sheet, row 5: instance() lookups are not supported in the choice_filter"
        " (field 'pick2')",
        "survey sheet, row 5: XPath paths such as ../name are not supported; write ${name} in"
        " the choice_filter (field 'pick2')",
        "survey sheet, row 6: default answers are not supported (field 'said')",
        "survey sheet, row 7: the trigger column (recalculate on change) is not supported"
        " (field 'again')",
        "survey sheet, row 8: XPath paths such as ../name are not supported; write ${name} in"
        " the relevant (field 'path')",
        "survey sheet, row 9: XPath paths such as ../name are not supported; write ${name} in"
        " the relevant (field 'odd')",
        "survey sheet, row 10: range questions are not supported (field 'scale')",
    ]


def test_an_expression_our_language_cannot_read_is_refused(workbook):
    path = workbook([[*HEAD, "relevant"], ["text", "x", "X?", "random() > 0.5"]])
    [problem] = refused(path)
    assert problem.startswith(
        "survey sheet, row 2: the relevant 'random() > 0.5' cannot be used: unknown function"
    )


def test_a_malformed_workbook_is_refused_with_pyxforms_message(workbook):
    path = workbook([HEAD, ["begin group", "g", "G"], ["text", "x", "X?"]])
    [problem] = refused(path)
    assert problem == (
        "not a valid XLSForm: [row : 2] Unmatched 'begin_group'. No matching 'end_group' was"
        " found for the name 'g'."
    )


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("form.xlsx", b"not a workbook", "not a valid XLSForm: "),
        ("form.csv", b"type,name", "an XLSForm must be an .xlsx or .xls file"),
        ("missing.xlsx", None, "there is no such file"),
    ],
)
def test_a_file_that_is_no_workbook_is_refused(tmp_path, file, content, message):
    path = tmp_path / file
    if content is not None:
        path.write_bytes(content)
    assert message in " ".join(refused(path))


def test_an_imported_definition_is_a_valid_form_definition(workbook):
    definition = import_xlsform(workbook([HEAD, ["text", "x", "X?"]]))
    assert FormDefinition.model_validate(definition.model_dump(exclude_unset=True)) == definition
