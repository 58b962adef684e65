"""forms.library.error_location: where a schema error is, as the author reads the file
(``fields.1.min``), the same for a YAML definition, a case type and an imported XLSForm."""

import pytest
from pydantic import ValidationError

from forms.library import error_location, error_problem
from forms.schema import FormDefinition
from forms.xlsform.importer import _validate
from forms.xlsform.problems import XLSFormRefused


def _group(minimal):
    """``minimal`` with its questions in a group, and the copies' min above their max."""
    minimal["fields"][1]["min"] = 9
    minimal["fields"] = [{"name": "about", "type": "group", "fields": minimal["fields"]}]
    return minimal


def test_the_location_leaves_out_pydantics_item_tags(minimal):
    with pytest.raises(ValidationError) as caught:
        FormDefinition.model_validate(_group(minimal))
    [detail] = caught.value.errors()
    assert "field" in detail["loc"] and "group" in detail["loc"]
    assert error_location(detail) == "fields.0.fields.1.min"
    assert error_problem(detail) == ("fields.0.fields.1.min", "min (9) is greater than max (5)")


def test_an_imported_form_that_does_not_fit_the_schema_says_where(minimal):
    with pytest.raises(XLSFormRefused) as caught:
        _validate(_group(minimal))
    assert caught.value.problems == [
        "the converted form does not fit our schema: fields.0.fields.1.min:"
        " min (9) is greater than max (5)"
    ]
