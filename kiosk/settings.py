"""The kiosk process's one settings object (the web app and its sync agent)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

import locales
from forms.library import DEFAULT_DIRECTORY as DEFAULT_FORMS
from sync import litestream
from sync.feed_items import KIOSK_SETTINGS
from sync.settings import AgentSettings

log = logging.getLogger(__name__)


class KioskSettings(AgentSettings):
    """``fieldkiosk kiosk``."""

    host: str = Field("127.0.0.1", min_length=1, description="Address to listen on")
    port: int = Field(8000, ge=0, le=65535, description="Port to listen on")
    no_sync: bool = Field(False, description="Do not run the sync agent in this process")
    enroll: str | None = Field(
        None, description="One-time enrollment code from central, exchanged for this kiosk's token"
    )
    forms: Path = Field(DEFAULT_FORMS, description="Directory of form definitions (YAML)")
    language: str = Field("en", min_length=2, description="Language the home screen starts in")
    idle_seconds: int = Field(
        120,
        ge=10,
        le=3600,
        description="Seconds without a touch before the kiosk asks if you need more time",
    )
    warning_seconds: int = Field(
        30, ge=20, le=600, description="Seconds the 'do you need more time?' warning counts down"
    )
    draft_days: int = Field(
        7, ge=1, le=90, description="Days a draft saved with a resume code is kept"
    )
    printer: str = Field(
        "simulated",
        description="Receipt printer: simulated, network:HOST[:PORT], usb:VENDOR:PRODUCT"
        " or serial:DEVICE (see hardware/README.md)",
    )
    speech: str = Field("simulated", description="Read-aloud voice: espeak or simulated")
    scanner: str = Field(
        "keyboard", description="QR/barcode scanner: keyboard, serial:DEVICE or simulated"
    )
    light: str = Field("simulated", description="Status light: simulated, gpio?... or none")
    keyboard: bool = Field(
        False,
        description="Show the on-screen keyboard, for kiosks with a touch screen and no"
        " physical keyboard",
    )
    max_body: int = Field(
        64 * 1024, ge=1024, le=16 * 1024 * 1024, description="Largest request body, in bytes"
    )
    assist_idle_minutes: int = Field(
        30,
        ge=1,
        le=24 * 60,
        description="Minutes without activity before a community worker is signed out",
    )
    assist_lock_minutes: int = Field(
        15,
        ge=1,
        le=24 * 60,
        description="Minutes a community worker's sign-in stays locked after 5 wrong PINs",
    )


def central_value(name: str, value: Any, base: KioskSettings | None = None) -> Any:
    """``value`` as the setting ``name`` takes it, when central may set it; ValueError
    saying why not (``name: problem (got VALUE)``)."""
    if name not in KIOSK_SETTINGS:
        allowed = ", ".join(KIOSK_SETTINGS)
        raise ValueError(f"{name}: central may change only {allowed} (got {name!r})")
    if name == "language" and value not in locales.LANGUAGES:
        offered = ", ".join(locales.LANGUAGES)
        raise ValueError(f"language: must be one of {offered} (got {value!r})")
    base = base or KioskSettings.model_construct()  # defaults; not this process's environment
    try:
        checked = KioskSettings.model_validate({**base.model_dump(), name: value})
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise ValueError(f"{name}: {problem} (got {value!r})") from None
    return getattr(checked, name)


def with_central(configured: KioskSettings, pulled: dict[str, Any]) -> KioskSettings:
    """The settings in effect: ``configured`` (flags, environment, defaults) with the
    values central published for the settings it may change. A value this kiosk cannot
    use is ignored and logged by the setting's name."""
    updates = {}
    for name, value in pulled.items():
        try:
            updates[name] = central_value(name, value, configured)
        except ValueError:
            log.warning("central's value for the setting %s is not usable; ignored", name)
    return configured.model_copy(update=updates) if updates else configured


class RestoreSettings(AgentSettings):
    """``fieldkiosk restore``: a kiosk's database back from its replica onto a fresh card."""

    @model_validator(mode="after")
    def _a_replica_litestream_can_read(self) -> RestoreSettings:
        # raises ValueError naming what is wrong with the URL or its key
        litestream.replica(self.replica, sftp_key=self.sftp_key, sftp_host_key=self.sftp_host_key)
        return self

    replica: str = Field(
        min_length=1,
        description="Replica URL to restore from (s3://BUCKET/PATH?endpoint=... or"
        " sftp://USER@HOST:PORT/PATH)",
        json_schema_extra={"flags": ["--from"]},
    )
    timestamp: str | None = Field(
        None, description="Restore the database as it was at this time (ISO 8601, UTC)"
    )
    sftp_key: Path | None = Field(None, description="Private key for an sftp:// replica")
    sftp_host_key: str | None = Field(
        None,
        description="The SFTP server's public host key (a known_hosts line), checked when"
        " restoring from an sftp:// replica",
    )
    enroll: str | None = Field(
        None,
        description="One-time enrollment code for this kiosk, from central staff"
        " (fieldkiosk central reenroll NAME); needed when the card has no identity",
    )
