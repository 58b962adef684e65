"""Settings of the processes that live in ``sync``: the kiosk's sync agent and central."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, HttpUrl, model_validator

from forms.library import DEFAULT_DIRECTORY
from sync.options import Settings


class AgentSettings(Settings):
    """What a sync agent needs: where the kiosk's data is and where central is."""

    data: Path = Field(Path("var/kiosk"), description="The kiosk's data directory")
    central: HttpUrl = Field(
        HttpUrl("http://127.0.0.1:8100"), description="Base URL of the central server"
    )
    batch_size: int = Field(500, ge=1, le=5000, description="Changes sent in one push")
    retry_initial: float = Field(
        1.0, gt=0, le=600, description="Seconds to wait after the first failed push"
    )
    retry_max: float = Field(
        60.0, gt=0, le=3600, description="Longest wait, in seconds, between failed pushes"
    )
    sync_interval: float = Field(
        15.0, gt=0, le=3600, description="Seconds between pushes when nothing new is queued"
    )
    request_timeout: float = Field(
        15.0, gt=0, le=600, description="Seconds before a request to central is given up"
    )
    litestream_socket: Path | None = Field(
        None,
        description="Litestream's control socket: the agent reports replication lag to"
        " central and asks Litestream to sync at once when the network comes back",
    )

    @model_validator(mode="after")
    def _retry_order(self) -> AgentSettings:
        if self.retry_max < self.retry_initial:
            raise ValueError(
                f"retry_max: must be at least retry_initial, {self.retry_initial}"
                f" (got {self.retry_max})"
            )
        return self


class SyncRunSettings(AgentSettings):
    """``fieldkiosk sync``: the agent run by hand or by a timer."""

    once: bool = Field(False, description="Drain the outbox once and exit")


class BundleSettings(Settings):
    """``fieldkiosk sync export`` and ``sync import``: bundles carried on a USB stick."""

    data: Path = Field(
        Path("var/kiosk"),
        description="The data directory: the kiosk's, or central's to import a kiosk's bundle",
    )


class CentralSettings(Settings):
    """``fieldkiosk central``."""

    forms: Path = Field(DEFAULT_DIRECTORY, description="Directory of form definitions (YAML)")
    host: str = Field("127.0.0.1", min_length=1, description="Address to listen on")
    port: int = Field(8100, ge=0, le=65535, description="Port to listen on")
    data: Path = Field(Path("var/central"), description="Central's data directory")
    max_body: int = Field(
        16 * 1024 * 1024, ge=1024, description="Largest request body accepted, in bytes"
    )
    enrollment_hours: int = Field(
        72, ge=1, le=24 * 90, description="Hours an unused kiosk enrollment code stays valid"
    )
    max_batch: int = Field(
        64 * 1024 * 1024,
        ge=1024,
        description="Largest sync batch accepted once decompressed, in bytes",
    )
    session_hours: int = Field(12, ge=1, le=24 * 30, description="Hours a staff sign-in lasts")
    insecure_cookies: bool = Field(
        False,
        description="Send staff cookies over plain HTTP even when not listening on loopback"
        " (development only; loopback addresses always allow it)",
    )
