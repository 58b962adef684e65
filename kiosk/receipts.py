"""Printed receipts: the citizen's reference on paper, in their language, with a QR code.

Printing happens after the submission is committed, so a printer that fails (no paper,
cover open, unplugged) never costs a submission: the kiosk records the fault and shows
the reference on screen instead.
"""

from __future__ import annotations

import sqlite3

from starlette.concurrency import run_in_threadpool

import locales
from forms.schema import FormDefinition
from hardware.faults import Fault
from hardware.printer import Printer, Receipt
from kiosk import formatting
from kiosk.submissions import Submission
from sync.clock import now
from sync.database import transaction


def receipt(submission: Submission, definition: FormDefinition | None, language: str) -> Receipt:
    gettext = locales.translations(language).gettext
    service = (
        definition.title.get(language, definition.default_language)
        if definition
        else submission.form_id
    )
    what_next = definition.what_happens_next if definition else None
    return Receipt(
        reference=submission.reference,
        service=service,
        submitted=formatting.moment(submission.submitted_at, language),
        lines=[
            (gettext("Your reference number"), submission.reference),
            (
                gettext("What happens next"),
                what_next.get(language, definition.default_language)
                if what_next and definition
                else gettext("The office will look at your answers."),
            ),
            (gettext("Check progress"), gettext("Scan this code at any kiosk.")),
        ],
        qr=submission.reference,
        language=language,
        direction="rtl" if locales.direction(language) == "rtl" else "ltr",
        heading=gettext("Your receipt"),
    )


async def print_receipt(
    conn: sqlite3.Connection,
    printer: Printer,
    submission: Submission,
    definition: FormDefinition | None,
    language: str,
) -> Fault | None:
    """Print, off the event loop, and record the outcome on the submission."""
    fault = await run_in_threadpool(
        printer.print_receipt, receipt(submission, definition, language)
    )
    with transaction(conn):
        conn.execute(
            "UPDATE submissions SET printed_at = ?, print_fault = ? WHERE id = ?",
            (None if fault else now(), fault.code if fault else None, submission.id),
        )
    return fault
