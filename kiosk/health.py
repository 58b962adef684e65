"""``/healthz``: what a technician or a monitor needs to know about this kiosk at a glance."""

from __future__ import annotations

from importlib.metadata import version

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from sync import outbox


async def healthz(request: Request) -> JSONResponse:
    state = request.app.state
    try:
        state.db.execute("SELECT 1").fetchone()
        depth, oldest = outbox.stats(state.db)
        database = "ok"
    except Exception as error:  # noqa: BLE001 - a health check reports, it does not raise
        depth, oldest, database = None, None, f"error: {type(error).__name__}"
    agent = state.agent.status.as_json() if state.agent else {"running": False}
    devices = [health.as_json() for health in await run_in_threadpool(state.devices.health)]
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "version": version("fieldkiosk"),
        "kiosk": state.identity.code,
        "database": database,
        "outbox": {"pending": depth, "oldest_pending": oldest},
        "sync": agent,
        "forms": len(state.versions.current),
        "devices": devices,
    }
    return JSONResponse(body, status_code=200 if database == "ok" else 503)
