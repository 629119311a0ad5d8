"""Ask a bibliographic source politely: paced, with timeouts, bounded retries and a breaker.

Each source (arXiv, DBLP) gets its own :class:`SourceClient`, so the delay between requests
and the count of consecutive failures are kept per source. Every way a request can go wrong
(refused connection, timeout, an error status, a malformed answer) ends as :class:`LookupFailed`
with a one-line reason: the caller leaves the paper unenriched for a later run and never
mistakes a failure for "not found".
"""

from __future__ import annotations

import datetime
import email.utils
import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests

USER_AGENT = "reading-list-generator/0.1 (+mailto:reading-list-curator@example.org)"
"""Sent with every request, so the sources' operators can see who is asking."""

RETRIES = 2
"""Tries after the first one, for a lookup whose failure may pass (timeouts, 429, 5xx)."""
BREAKER_LIMIT = 5
"""Consecutive failed requests after which a source is not asked again in this run."""
MAX_RETRY_AFTER = 60.0
"""Longest ``Retry-After`` we wait out; a longer one fails the lookup at once."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

T = TypeVar("T")


class LookupFailed(Exception):
    """A source could not answer this lookup; the message is one line for the curator."""


class RetryableStatus(Exception):
    """An answer with a status worth retrying, and how long the server asked us to wait."""

    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class PoliteSession(requests.Session):
    """A session that always sends our User-Agent, always times out and checks each answer.

    Libraries that make their own requests (the ``arxiv`` package) pass neither a timeout nor
    our User-Agent, so both are enforced here, under every request.
    """

    def __init__(self, timeout: float, validate: Callable[[bytes], None] | None = None):
        super().__init__()
        self.timeout = timeout
        self.validate = validate
        self.last_url = ""

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        """Send one request; raise for error statuses and answers that fail validation."""
        kwargs["timeout"] = (self.timeout, self.timeout)
        kwargs["headers"] = {**(kwargs.get("headers") or {}), "User-Agent": USER_AGENT}
        response = super().request(method, url, *args, **kwargs)
        self.last_url = response.url
        if response.status_code in RETRY_STATUSES:
            raise RetryableStatus(response.status_code, retry_after(response.headers))
        if response.status_code != 200:
            raise LookupFailed(f"HTTP {response.status_code} from {response.url}")
        if self.validate is not None:
            self.validate(response.content)
        return response


def retry_after(headers: Any) -> float | None:
    """Seconds from a ``Retry-After`` header (a number or an HTTP date); None when absent."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())


class SourceClient:
    """One source's pacing, retries and circuit breaker."""

    def __init__(self, name: str, delay: float, timeout: float) -> None:
        self.name = name
        self.delay = delay
        self.session = PoliteSession(timeout)
        self._next_request = 0.0
        self._failures = 0

    @property
    def broken(self) -> bool:
        """True once the source failed too often in a row to be asked again in this run."""
        return self._failures >= BREAKER_LIMIT

    def call(self, attempt: Callable[[], T]) -> T:
        """Run one lookup (``attempt`` makes the requests), retrying what may pass."""
        reason = "no attempt made"
        for number in range(RETRIES + 1):
            if self.broken:
                raise LookupFailed(
                    f"{self.name} failed {BREAKER_LIMIT} times in a row ({reason}); "
                    "not asked again in this run"
                )
            self._pace()
            try:
                result = attempt()
            except RetryableStatus as exc:
                reason = str(exc)
                wait = exc.retry_after if exc.retry_after is not None else self._backoff(number)
                if wait > MAX_RETRY_AFTER:
                    self._failures += 1
                    raise LookupFailed(f"{self.name} asked us to wait {wait:.0f} s") from None
            except _PASSING as exc:
                reason = _network_reason(exc)
                wait = self._backoff(number)
            except requests.RequestException as exc:
                self._failures += 1
                raise LookupFailed(f"{self.name}: request failed ({type(exc).__name__})") from None
            except LookupFailed:
                self._failures += 1
                raise
            else:
                self._failures = 0
                return result
            self._failures += 1
            self._next_request = max(self._next_request, time.monotonic() + wait)
        raise LookupFailed(f"{self.name}: {reason} (after {RETRIES + 1} tries)")

    def _pace(self) -> None:
        """Sleep until this source's delay since the last request (or a backoff) has passed."""
        now = time.monotonic()
        if self._next_request > now:
            time.sleep(self._next_request - now)
        self._next_request = time.monotonic() + self.delay

    def _backoff(self, number: int) -> float:
        # Doubling the polite delay keeps retries slower than normal traffic.
        return self.delay * 2**number


_PASSING = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
"""Network troubles that a later try may not meet."""


def _network_reason(exc: Exception) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "answer cut off"
    return "could not connect"
