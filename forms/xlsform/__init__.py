"""XLSForm import: ``fieldkiosk forms import FILE.xlsx`` turns an XLSForm into our YAML.

pyxform reads the workbook (:mod:`.workbook`); the rest maps its JSON form onto ours:

| XLSForm | ours |
|---|---|
| text (``multiline`` appearance: long_text), integer, decimal, date, note | same type |
| select_one / select_multiple LIST | same type, ``choice_list: LIST`` |
| ... LIST or_other | the same, and a ``NAME_other`` text field |
| calculate | calculate with ``calculation`` |
| acknowledge, trigger | consent |
| phone number | phone |
| begin/end group (``field-list``: ``page: true``) | group |
| begin/end repeat (``repeat_count``: a fixed number only) | repeat, min_count = max_count |
| relevant, constraint, constraint_message, choice_filter, hint, label::Lang (xx) | same |
| required yes/no, or an expression | ``required``, or ``required_if`` |
| settings form_id, version, form_title, default_language | id, version, title (and description) |
| start, end, today, deviceid, username, audit... (metadata) | left out, noted |

Anything else (geopoint, image, file, barcode, range, pulldata(), search()...) is refused
with :class:`XLSFormRefused`, one message per problem, naming the sheet and row.
"""

from forms.xlsform.importer import Imported, import_xlsform, main_import, read_xlsform
from forms.xlsform.names import sanitise
from forms.xlsform.problems import XLSFormRefused

__all__ = [
    "Imported",
    "XLSFormRefused",
    "import_xlsform",
    "main_import",
    "read_xlsform",
    "sanitise",
]
