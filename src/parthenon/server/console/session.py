"""Console sign-in: cookie sessions and their CSRF tokens.

Sign-in takes an access key id and its secret, checked (in constant time) against the
server's own keys, the same ones SigV4 requests are verified with.  The secret is used
once and never kept: not in the session, not in the browser.  The browser gets:
- a session cookie, an unguessable id that only the server can map to the access key:
  HttpOnly (scripts can't read it), SameSite=Strict (other sites' pages never send it),
  Secure when the server speaks TLS, scoped to Path=/;
- a CSRF token, handed to the page's script in the sign-in answer and by GET
  /console/api/session; every change (each POST but sign-in) must echo it in the
  X-CSRF-Token header.  The token lives server-side beside the session (synchroniser
  token), so a forged cross-site POST, which cannot read it, is refused.
Sessions live in memory: a restart signs everyone out, which is the safe direction.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

COOKIE = "parthenon_console"
IDLE_SECONDS = 12 * 3600


@dataclass
class ConsoleSession:
    principal: str                       # the access key id the console acts as
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    last_seen: float = field(default_factory=time.monotonic)


class Sessions:
    def __init__(self, keys: dict[str, str] | None, idle_seconds: float = IDLE_SECONDS):
        # keys None: the server runs with --no-auth, the console signs in as "anonymous"
        self.keys = keys
        self.idle_seconds = idle_seconds
        self._by_id: dict[str, ConsoleSession] = {}
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return self.keys is None

    def sign_in(self, key_id: str, secret: str) -> tuple[str, ConsoleSession] | None:
        """(cookie value, session) for a right key and secret, else None."""
        if self.keys is None:
            key_id = "anonymous"
        else:
            known = self.keys.get(key_id)
            # compare against something even for an unknown key: no timing hint of which keys exist
            if not hmac.compare_digest((known or "\0" * 40).encode(), secret.encode()) or known is None:
                return None
        sid = secrets.token_urlsafe(32)
        session = ConsoleSession(key_id)
        with self._lock:
            self._by_id[sid] = session
        return sid, session

    def get(self, sid: str | None) -> ConsoleSession | None:
        if not sid:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._by_id.get(sid)
            if session is None:
                return None
            if now - session.last_seen > self.idle_seconds:
                del self._by_id[sid]
                return None
            session.last_seen = now
            return session

    def sign_out(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)


def csrf_ok(session: ConsoleSession, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(session.csrf.encode(), header.encode())


def cookie_header(sid: str, secure: bool) -> str:
    return (f"{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Strict"
            + ("; Secure" if secure else ""))


def clear_cookie_header(secure: bool) -> str:
    return f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")


def cookie_value(header: str | None) -> str | None:
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None
