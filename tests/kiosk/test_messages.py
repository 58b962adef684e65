import re

import pytest

from forms.errors import ERROR_CODES
from kiosk.messages import MESSAGES


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_answer_error_has_a_sentence_with_its_details(code):
    # a constraint's detail is the form's own message, which replaces the whole sentence
    details = set(ERROR_CODES[code]) - {"message"} if code == "constraint" else ERROR_CODES[code]
    assert set(re.findall(r"%\((\w+)\)s", MESSAGES[code])) == set(details)
