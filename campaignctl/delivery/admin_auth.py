"""Who may see the dashboard: the admin token from the state folder, checked in constant time.

The runtime writes the token to ``.campaignctl/admin.token`` (0600) and reads it
into :class:`~campaignctl.runtime.context.Settings`. A browser signs in once
with it and gets a session cookie (``HttpOnly``, ``SameSite=Strict``) holding
an HMAC of its issue time under the token; scripts send
``Authorization: Bearer <token>`` instead. Logins are rate-limited per client
address, and every form post carries a CSRF token bound to the session.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from collections.abc import Callable

COOKIE = "campaignctl_admin"
SESSION_SECONDS = 12 * 3600
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 60.0


class AdminAuth:
    def __init__(self, token: str | None, *, clock: Callable[[], float] = time.time) -> None:
        self.token = token
        self.clock = clock
        self._attempts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    def _mac(self, message: str) -> str:
        assert self.token is not None  # noqa: S101 - callers check enabled
        return hmac.new(self.token.encode(), message.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, candidate: str) -> bool:
        if not self.token:
            return False
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def bearer_ok(self, header: str | None) -> bool:
        if not header or not header.lower().startswith("bearer "):
            return False
        return self.token_matches(header[7:].strip())

    def login_allowed(self, client: str) -> bool:
        """False once ``client`` made :data:`LOGIN_ATTEMPTS` attempts within the window."""
        now = self.clock()
        with self._lock:
            recent = self._attempts.setdefault(client, deque())
            while recent and recent[0] <= now - LOGIN_WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= LOGIN_ATTEMPTS:
                return False
            recent.append(now)
            return True

    def new_session(self) -> str:
        issued = str(int(self.clock()))
        return f"{issued}.{self._mac('session:' + issued)}"

    def session_ok(self, cookie: str | None) -> bool:
        if not self.enabled or not cookie or "." not in cookie:
            return False
        issued, mac = cookie.split(".", 1)
        if not issued.isdigit() or self.clock() - int(issued) > SESSION_SECONDS:
            return False
        return hmac.compare_digest(mac.encode(), self._mac("session:" + issued).encode())

    def csrf_token(self, session: str) -> str:
        return self._mac("csrf:" + session)

    def csrf_ok(self, session: str | None, candidate: str | None) -> bool:
        if not session or not candidate:
            return False
        return hmac.compare_digest(candidate.encode(), self.csrf_token(session).encode())
