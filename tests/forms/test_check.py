import pytest

from forms.check import Finding, check_directory
from forms.library import DEFAULT_DIRECTORY


def test_the_demo_forms_have_no_findings_at_all():
    assert check_directory(DEFAULT_DIRECTORY) == []


def test_a_directory_of_broken_files(minimal, write, tmp_path):
    write(minimal, "minimal.yaml")
    write("id: broken\nfields: [\n", "a-broken-yaml.yaml")
    no_choices = {**minimal, "id": "no-choices"}
    no_choices["fields"] = [{**minimal["fields"][2], "choices": []}]
    write(no_choices, "no-choices.yaml")
    write(minimal, "z-copy.yaml")
    findings = check_directory(tmp_path)
    assert [(finding.file, finding.location) for finding in findings] == [
        ("a-broken-yaml.yaml", "line 3, column 1"),
        ("no-choices.yaml", "fields.0.choices"),
        ("z-copy.yaml", "id"),
        ("z-copy.yaml", "id"),
    ]
    assert [finding.severity for finding in findings] == ["error", "error", "error", "warning"]
    assert str(findings[1]) == "no-choices.yaml: fields.0.choices: at least one choice is needed"
    assert str(findings[2]) == "z-copy.yaml: id: 'minimal' is already used by minimal.yaml"
    assert (
        str(findings[3]) == "z-copy.yaml: id: 'minimal' does not match the file name 'z-copy.yaml'"
    )


def test_min_greater_than_max_is_an_error(minimal, write, tmp_path):
    minimal["fields"][1]["min"] = 9
    write(minimal)
    assert check_directory(tmp_path) == [
        Finding("minimal.yaml", "fields.1.min", "min (9) is greater than max (5)", "error")
    ]


def test_missing_translations_are_warnings(minimal, write, tmp_path):
    minimal["languages"] = ["en", "fr", "ar"]
    minimal["fields"][0]["hint"] = "Plain text is in the default language only"
    minimal["fields"][2]["choices"][0]["label"] = {"en": "North", "fr": "Nord", "ar": "الشمال"}
    minimal["fields"][2]["choices"][1]["label"]["de"] = "Süd"
    write(minimal)
    findings = check_directory(tmp_path)
    assert {finding.severity for finding in findings} == {"warning"}
    assert [(finding.location, finding.message) for finding in findings] == [
        ("title", "has no text in 'ar'"),
        ("description", "has no text in 'ar'"),
        ("fields.0.label", "has no text in 'ar'"),
        ("fields.0.hint", "has no text in 'fr', 'ar'"),
        ("fields.1.label", "has no text in 'ar'"),
        ("fields.2.label", "has no text in 'ar'"),
        ("fields.2.choices.1.label", "has no text in 'ar'"),
        ("fields.2.choices.1.label", "has text in 'de', which languages does not list"),
    ]


def test_yes_no_in_a_language_without_yes_and_no_words_is_a_warning(minimal, write, tmp_path):
    minimal["languages"] = ["en", "xh"]
    minimal["fields"] = [{"name": "agree", "type": "yes_no", "label": {"en": "?", "xh": "?"}}]
    minimal["title"] = minimal["description"] = {"en": "A form", "xh": "Ifomu"}
    write(minimal)
    assert [str(finding) for finding in check_directory(tmp_path)] == [
        "minimal.yaml: fields.0.type: yes_no has no words for 'xh'"
    ]


def test_a_missing_directory_is_an_error(tmp_path):
    [finding] = check_directory(tmp_path / "nowhere")
    assert finding.severity == "error"
    assert finding.message == "is not a directory"


def test_an_empty_directory_is_a_warning(tmp_path):
    assert check_directory(tmp_path) == [
        Finding(str(tmp_path), "", "has no form definitions (*.yaml)", "warning")
    ]


@pytest.mark.parametrize(
    ("finding", "line"),
    [
        (Finding("a.yaml", "fields.0", "bad"), "a.yaml: fields.0: bad"),
        (Finding("a.yaml", "", "bad"), "a.yaml: bad"),
    ],
)
def test_a_finding_prints_as_one_line(finding, line):
    assert str(finding) == line


def _with_district(minimal, choice_filter):
    """``minimal`` with a district question after the region, filtered by ``choice_filter``."""
    minimal["fields"].append(
        {
            "name": "district",
            "type": "select_one",
            "label": {"en": "District", "fr": "District"},
            "choices": [
                {
                    "value": value,
                    "label": {"en": value, "fr": value},
                    "properties": {"region": region},
                }
                for value, region in (("kisumu", "north"), ("mombasa", "south"))
            ],
            "choice_filter": choice_filter,
        }
    )
    return minimal


@pytest.mark.parametrize(
    "choice_filter",
    [
        "region = ${region}",
        "region = ${region} and name != 'mombasa'",
        "selected(${region}, region) or string-length(${full_name}) > 40",
    ],
)
def test_a_choice_filter_on_the_choices_columns_is_no_finding(
    minimal, write, tmp_path, choice_filter
):
    write(_with_district(minimal, choice_filter))
    assert check_directory(tmp_path) == []


def test_a_choice_filter_that_does_not_parse_is_an_error(minimal, write, tmp_path):
    write(_with_district(minimal, "region = ${region} and ("))
    assert [str(finding) for finding in check_directory(tmp_path)] == [
        "minimal.yaml: fields.3.choice_filter: expected a value (${name}, a number, 'text',"
        " a function or '('), found the end (at character 25)"
        " in 'region = ${region} and ('"
    ]
    assert check_directory(tmp_path)[0].severity == "error"


def test_a_choice_filter_reading_a_field_the_form_does_not_have_is_an_error(
    minimal, write, tmp_path
):
    write(_with_district(minimal, "region = ${regoin}"))
    assert check_directory(tmp_path) == [
        Finding(
            "minimal.yaml",
            "fields.3.choice_filter",
            "refers to ${regoin}, which this form does not have",
            "error",
        )
    ]


def test_a_choice_filter_calling_an_unknown_function_is_an_error(minimal, write, tmp_path):
    write(_with_district(minimal, "regoin(region) = ${region}"))
    [finding] = check_directory(tmp_path)
    assert (finding.location, finding.severity) == ("fields.3.choice_filter", "error")
    assert finding.message.startswith("unknown function regoin() (at character 1)")
