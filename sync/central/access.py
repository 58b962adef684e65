"""Who is signed in: the staff session, and the rule that every staff view needs one."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request

from sync.central import staff
from sync.central.state import of
from sync.problems import FORBIDDEN, SIGN_IN_REQUIRED, Problem

SESSION_KEY = "user"
SIGN_IN_PATH = "/sign-in"
HOME = "/submissions"


def current_user(request: Request) -> staff.User | None:
    """The signed-in user (looked up afresh, so a deleted user is signed out at once)."""
    if hasattr(request.state, "user"):
        user: staff.User | None = request.state.user
        return user
    user_id = request.session.get(SESSION_KEY)
    user = None
    if user_id is not None:
        with of(request).connect() as conn:
            user = staff.get(conn, user_id)
    request.state.user = user
    return user


def require_user(request: Request) -> staff.User:
    """The signed-in user of any role, or ``sign_in_required`` (401 JSON / redirect)."""
    user = current_user(request)
    if user is None:
        raise Problem(SIGN_IN_REQUIRED)
    return user


#: Each role can do what the roles before it can: a reviewer reviews submissions; a
#: supervisor also resolves conflicts and merges duplicates; an admin also runs the
#: fleet, the staff accounts and what is published to kiosks.
RANKS = {"reviewer": 1, "supervisor": 2, "admin": 3}


def require_role(request: Request, role: str) -> staff.User:
    """The signed-in user if their role is ``role`` or above; ``forbidden`` (403) if
    below; ``sign_in_required`` if nobody is signed in. Checked on the server, in every
    handler, before anything is read or written."""
    user = require_user(request)
    if not allows(user, role):
        raise Problem(FORBIDDEN)
    return user


def allows(user: staff.User | None, role: str) -> bool:
    """Whether ``user`` has ``role`` or one above it (what the navigation shows)."""
    return user is not None and RANKS.get(user.role, 0) >= RANKS[role]


def sign_in(request: Request, user: staff.User) -> None:
    request.session.clear()
    request.session[SESSION_KEY] = user.id
    request.state.user = user


def sign_out(request: Request) -> None:
    request.session.clear()
    request.state.user = None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or any(c == "\\" or ord(c) < 0x21 or ord(c) == 0x7F for c in target)
    ):
        return HOME
    return target


def sign_in_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN_PATH}?next={quote(safe_next(here), safe='/')}"
