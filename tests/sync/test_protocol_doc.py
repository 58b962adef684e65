"""PROTOCOL.md stays true: its examples parse with the models, its codes exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import sync
from sync import bundle, feed_items, protocol
from sync.problems import CATALOGUE

DOC = (Path(sync.__file__).parent / "PROTOCOL.md").read_text()
JSON_BLOCKS = re.findall(r"```json\n(.*?)```", DOC, re.S)


def _examples() -> list[str]:
    """Fenced JSON bodies, and the JSON bodies of the fenced HTTP exchanges."""
    bodies = list(JSON_BLOCKS)
    for block in re.findall(r"```\n(.*?)```", DOC, re.S):
        _, _, body = block.partition("\n\n")
        if body.strip().startswith("{"):
            bodies.append(body)
    return bodies


def test_the_push_example_is_a_valid_push():
    push = JSON_BLOCKS[0]
    parsed = protocol.PushRequest.model_validate_json(push)
    assert parsed.changes[0].payload.reference == "K01-00042-D"


def test_the_feedback_example_is_a_valid_change():
    (change,) = [block for block in JSON_BLOCKS if '"feedback.create"' in block]
    push = {"protocol": 1, "kiosk_id": "0196a3c2-5d1e-7b3f-9c4a-2e8f1d6b7a90"}
    parsed = protocol.PushRequest.model_validate({**push, "changes": [json.loads(change)]})
    assert isinstance(parsed.changes[0], protocol.FeedbackCreate)
    assert parsed.changes[0].payload.rating == 4


@pytest.mark.parametrize("body", _examples())
def test_every_example_parses_as_some_message(body):
    data = json.loads(body.replace("<43 characters, 256 random bits>", "t"))
    models = [
        protocol.PushRequest,
        protocol.PushResponse,
        protocol.EnrollRequest,
        protocol.EnrollResponse,
        protocol.KioskStatus,
        protocol.SubmissionCreate,
        protocol.FeedbackCreate,
        protocol.CaseUpdate,
        feed_items.PullResponse,
        bundle.PushBundle,
        bundle.ReturnBundle,
    ]
    assert any(_valid(model, data) for model in models), body


def test_every_code_in_the_status_table_is_in_the_catalogue():
    table = DOC.split("## Status codes", 1)[1].split("##", 1)[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| ")]
    codes = {code for row in rows[1:] for code in re.findall(r"`([a-z_]+)`", row[2])}
    assert codes and codes <= set(CATALOGUE)


def _valid(model, data) -> bool:
    try:
        model.model_validate(data)
    except ValueError:
        return False
    return True
