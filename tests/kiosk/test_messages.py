import re

import pytest

from forms.errors import ERROR_CODES
from kiosk.messages import MESSAGES


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_answer_error_has_a_sentence_with_its_details(code):
    assert set(re.findall(r"%\((\w+)\)s", MESSAGES[code])) == set(ERROR_CODES[code])
