"""Form definitions: what a public service asks, in which languages, and which answers fit.

This package imports nothing else of ours; see ``forms/README.md`` for the file format.
"""

from forms.errors import DefinitionError, FieldError
from forms.library import DEFAULT_DIRECTORY, dump_definition, load_definition, load_directory
from forms.schema import Choice, Field, FormDefinition
from forms.text import LocalizedText
from forms.validation import display_value, parse_answer, validate_answers

__all__ = [
    "DEFAULT_DIRECTORY",
    "Choice",
    "DefinitionError",
    "Field",
    "FieldError",
    "FormDefinition",
    "LocalizedText",
    "display_value",
    "dump_definition",
    "load_definition",
    "load_directory",
    "parse_answer",
    "validate_answers",
]
