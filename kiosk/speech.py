"""Read aloud: a question's words as audio in the citizen's language.

A recording shipped with the form wins (``DATA/speech/prompts/LANG/FORM.FIELD.ogg``);
otherwise the kiosk's voice synthesises it, cached per text and language, compressed.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hardware.faults import Fault
from hardware.speech import prompt_key
from kiosk import pages
from sync.problems import SPEECH_UNAVAILABLE, UNKNOWN_QUESTION, Problem

PARTS = ("label", "hint")


async def question_audio(request: Request) -> Response:
    journey = pages.current_journey(request).at(request.path_params["key"])
    definition, page = journey.definition, journey.page
    part = request.query_params.get("part", "label")
    field = page.slots[0].field if page.slots else None
    text = page.heading if part == "label" and page.heading else getattr(field, part, None)
    if part not in PARTS or text is None or field is None:
        raise Problem(UNKNOWN_QUESTION, question=f"{page.key} ({part})")
    words = text.get(journey.language, definition.default_language)
    name = field.name if not page.heading else page.key
    key = prompt_key(definition.id, name if part == "label" else f"{name}.{part}")
    speech = request.app.state.devices.speech
    audio = await run_in_threadpool(speech.synthesise, words, journey.language, key)
    if isinstance(audio, Fault):
        raise Problem(SPEECH_UNAVAILABLE)
    return Response(
        audio.data, media_type=audio.media_type, headers={"cache-control": "private, max-age=86400"}
    )
