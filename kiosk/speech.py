"""Read aloud: a question's words as audio in the citizen's language.

A recording shipped with the form wins (``DATA/speech/prompts/LANG/FORM.FIELD.ogg``);
otherwise the kiosk's voice synthesises it, cached per text and language, compressed.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from forms.text import YES_NO, LocalizedText
from hardware.faults import Fault
from hardware.speech import prompt_key
from kiosk import pages
from sync.problems import SPEECH_UNAVAILABLE, UNKNOWN_QUESTION, Problem

PARTS = ("label", "hint", "choice")


async def question_audio(request: Request) -> Response:
    """``…/audio?slot=N&part=label|hint|choice[&value=V]``: one question's words, its hint
    or one of its choices, read in the citizen's language (``part=heading``: a group's)."""
    journey = pages.current_journey(request).at(request.path_params["key"])
    definition, page = journey.definition, journey.page
    text, key = _words(definition, page, request.query_params)
    words = text.get(journey.language, definition.default_language)
    speech = request.app.state.devices.speech
    audio = await run_in_threadpool(speech.synthesise, words, journey.language, key)
    if isinstance(audio, Fault):
        raise Problem(SPEECH_UNAVAILABLE)
    return Response(
        audio.data, media_type=audio.media_type, headers={"cache-control": "private, max-age=86400"}
    )


def _words(definition: Any, page: Any, query: Any) -> tuple[LocalizedText, str]:
    """The text asked for, and the key a recorded prompt for it would have."""
    part, number = query.get("part", "label"), query.get("slot", "0")
    if part == "heading" and page.heading is not None:
        return page.heading, prompt_key(definition.id, page.key)
    index = int(number) if number.isdigit() else -1
    if part not in PARTS or not 0 <= index < len(page.slots):
        raise Problem(UNKNOWN_QUESTION, question=f"{page.key} ({part})")
    field = page.slots[index].field
    if part == "choice":
        value = query.get("value", "")
        offered = {c.value: c.label for c in definition.choices(field)}
        if field.type == "yes_no":
            offered = {"yes": YES_NO[True], "no": YES_NO[False]}
        if value not in offered:
            raise Problem(UNKNOWN_QUESTION, question=f"{page.key} ({value})")
        return offered[value], prompt_key(definition.id, f"{field.name}.{value}")
    text = getattr(field, part)
    if text is None:
        raise Problem(UNKNOWN_QUESTION, question=f"{page.key} ({part})")
    name = field.name if part == "label" else f"{field.name}.{part}"
    return text, prompt_key(definition.id, name)
