"""What central sends down to kiosks: the pull feed's items and their bodies
(PROTOCOL.md, "Pull").

Split from :mod:`sync.protocol`, whose field types it uses, because it has its own rule:
a body's fields a newer central adds are ignored, not refused (central is upgraded
before kiosks), where everything a kiosk sends up is checked strictly.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from sync.protocol import Language, Message, Name, Reference, Timestamp, Uuid7, describe

PULL_PATH = "/api/v1/sync/pull"
MAX_PULL = 1000


FeedKind = Literal["form", "reference_list", "decision", "case", "setting"]


class FeedItem(Message):
    """One thing central sends down (PROTOCOL.md, "Pull")."""

    cursor: Annotated[int, Field(ge=1)]
    kind: FeedKind
    key: Annotated[str, Field(min_length=1, max_length=200)]
    body: dict[str, JsonValue]


class PullResponse(Message):
    """``GET /api/v1/sync/pull``: the items after the kiosk's cursor."""

    protocol: Literal[1] = 1
    cursor: Annotated[int, Field(ge=0)]
    more: bool
    items: list[FeedItem]


#: Settings a kiosk lets central change (PROTOCOL.md, "Pull"); any other is ignored.
KIOSK_SETTINGS = ("idle_seconds", "warning_seconds", "draft_days", "language")
DecisionState = Literal["received", "has_issues", "approved", "rejected"]
DECISION_STATES: tuple[str, ...] = get_args(DecisionState)


class FeedBody(BaseModel):
    """The body of a feed item. Fields a newer central adds are ignored, not refused:
    central is upgraded before kiosks."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class FormBody(FeedBody):
    """``form``: a form definition, as JSON, that kiosks offer for new drafts."""

    id: Name
    version: Annotated[str, Field(min_length=1, max_length=40)]
    definition: dict[str, JsonValue]


class ListEntry(FeedBody):
    name: Name
    label: dict[Language, str]
    #: the CSV's other columns, for choice filters (``district = ${district}``)
    properties: dict[Annotated[str, Field(min_length=1, max_length=64)], str] = {}


class ReferenceListBody(FeedBody):
    """``reference_list``: named entries (villages, offices), labelled per language."""

    name: Name
    version: Annotated[int, Field(ge=1)]
    items: list[ListEntry]


class DecisionBody(FeedBody):
    """``decision``: where staff have got to with one submission."""

    reference: Reference
    state: DecisionState
    comment: str = ""
    decided_at: Timestamp


class CaseBody(FeedBody):
    """``case``: central's version of a case."""

    type: Name
    id: Uuid7
    version: Annotated[int, Field(ge=1)]
    fields: dict[Name, JsonValue]
    conflicts: list[Name] = Field(default_factory=list)
    merged_into: Uuid7 | None = None


class SettingBody(FeedBody):
    """``setting``: a value for one of :data:`KIOSK_SETTINGS` (null: the kiosk's own again)."""

    name: Name
    value: JsonValue


FEED_BODIES: dict[str, type[FeedBody]] = {
    "form": FormBody,
    "reference_list": ReferenceListBody,
    "decision": DecisionBody,
    "case": CaseBody,
    "setting": SettingBody,
}


def parse_pull(data: bytes) -> PullResponse:
    """Central's answer to a pull; ValueError when it is not one."""
    try:
        return PullResponse.model_validate_json(data)
    except ValidationError as error:
        raise ValueError(describe(error)) from None
