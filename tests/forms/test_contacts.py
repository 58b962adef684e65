import pytest

from forms.errors import FieldError
from forms.schema import Field
from forms.types import EXAMPLE_TODAY, FIELD_TYPES
from forms.validation import parse_answer

PHONE = FIELD_TYPES["phone"].example_field()
EMAIL = FIELD_TYPES["email"].example_field()


def test_a_phone_field_takes_only_international_numbers_by_default():
    field = Field.model_validate({"name": "phone", "type": "phone", "label": "Phone"})
    assert parse_answer(field, "+254 712 345 678", EXAMPLE_TODAY) == "+254712345678"
    assert parse_answer(field, "+254712345678", EXAMPLE_TODAY) == "+254712345678"
    assert parse_answer(field, "0712 345 678", EXAMPLE_TODAY) == FieldError("not_a_phone")


@pytest.mark.parametrize(
    ("region", "raw", "stored"),
    [("SN", "77 123 45 67", "+221771234567"), ("FR", "06 12 34 56 78", "+33612345678")],
)
def test_local_numbers_are_read_in_the_fields_region(region, raw, stored):
    field = PHONE.model_copy(update={"region": region})
    assert parse_answer(field, raw, EXAMPLE_TODAY) == stored


def test_a_stored_phone_number_reads_the_same_in_any_region():
    for region in ("ZZ", "KE", "SN"):
        field = PHONE.model_copy(update={"region": region})
        assert parse_answer(field, "+254712345678", EXAMPLE_TODAY) == "+254712345678"


def test_an_email_domain_is_not_looked_up():
    # no network at the kiosk: a domain without mail servers is still an address
    result = parse_answer(EMAIL, "amina@no-mail-here.example", EXAMPLE_TODAY)
    assert result == "amina@no-mail-here.example"


def test_an_email_address_in_another_script_is_kept_in_one_unicode_form():
    assert parse_answer(EMAIL, "  josé@exemple.fr ", EXAMPLE_TODAY) == "josé@exemple.fr"
