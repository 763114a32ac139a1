"""The little HTTP a forge sync needs, with the forge's manners: tokens kept secret, rate limits obeyed.

Only ``almanac sync`` talks to the network. Every request goes to one configured host (a ``Link``
header pointing elsewhere is not followed: a forge response must not steer the token to another
server), carries the token only in its ``Authorization`` header, and never lets the token reach a
message: errors are redacted before they are raised. Rate limits are waited out when the forge says
how long (``retry-after``, ``x-ratelimit-reset``) and that is short; otherwise the sync stops and
the previous cache stays as it was.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.model.errors import EXIT_INTERNAL_ERROR, AlmanacError
from generator.text.untrusted import load_json

#: Longest wait for a rate limit before giving up (seconds); CI jobs have better things to do.
MAX_WAIT = 60
#: The largest response read: a page of 100 pull requests or 50 discussions is a few megabytes.
MAX_RESPONSE_BYTES = 64 * 2**20
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="([^"]+)"')


def redact(text: str, token: str | None) -> str:
    """The text with the token replaced by ``***``: errors may quote what the server echoed back."""
    return text.replace(token, "***") if token else text


class RateLimited(AlmanacError):
    """The forge asked us to wait longer than :data:`MAX_WAIT`; the sync stops, the cache is kept."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return load_json(self.body.decode("utf-8"))

    def links(self) -> dict[str, str]:
        """``Link`` header relations (``next``, ``last``…) → URL."""
        return {rel: url for url, rel in _LINK.findall(self.headers.get("link", ""))}


class HttpClient:
    def __init__(self, base_url: str, token: str | None, *, sleep: Callable[[float], None] = time.sleep,
                 max_wait: float = MAX_WAIT, clock: Callable[[], float] = time.time) -> None:
        self.base = urllib.parse.urlsplit(base_url)
        self._token = token
        self._sleep, self._max_wait, self._clock = sleep, max_wait, clock
        self.requests = 0

    def same_host(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return (parts.scheme, parts.netloc) == (self.base.scheme, self.base.netloc)

    def redact(self, text: str) -> str:
        return redact(text, self._token)

    def request(self, url: str, *, etag: str | None = None, payload: Any = None) -> Response:
        """GET (or POST ``payload`` as JSON); 304 and 4xx/5xx come back as responses, rate limits are waited
        out or raised as :class:`RateLimited`, network failures as :class:`AlmanacError`."""
        if not self.same_host(url):
            raise AlmanacError(f"refusing to send a request to {urllib.parse.urlsplit(url).netloc}: "
                               f"not the configured host {self.base.netloc}")
        for attempt in range(3):
            response = self._send(url, etag, payload)
            wait = self._rate_limit_wait(response)
            if wait is None:
                return response
            if wait > self._max_wait or attempt == 2:
                raise RateLimited(f"{self.base.netloc} rate limit: retry in {int(wait)} s; the sync stopped and "
                                  "the previous cache was kept")
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _send(self, url: str, etag: str | None, payload: Any) -> Response:
        headers = {"User-Agent": "almanac-sync", "Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if etag:
            headers["If-None-Match"] = etag
        data = None
        if payload is not None:
            data = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
        self.requests += 1
        try:
            with _OPENER.open(request, timeout=30) as reply:
                return Response(reply.status, {k.lower(): v for k, v in reply.headers.items()}, self._body(reply))
        except urllib.error.HTTPError as error:
            return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, self._body(error))
        except (urllib.error.URLError, OSError) as error:
            raise AlmanacError(self.redact(f"{self.base.netloc}: {getattr(error, 'reason', error)}"),
                               exit_code=EXIT_INTERNAL_ERROR) from None

    def _body(self, reply: Any) -> bytes:
        """The response body, read no further than :data:`MAX_RESPONSE_BYTES`: a server that never stops
        sending ends the sync with one line, not with the memory."""
        body: bytes = reply.read(MAX_RESPONSE_BYTES + 1)
        if len(body) > MAX_RESPONSE_BYTES:
            raise AlmanacError(f"{self.base.netloc}: a response larger than {MAX_RESPONSE_BYTES // 2**20} MiB; "
                               "the sync stopped and the previous cache was kept", exit_code=EXIT_INTERNAL_ERROR)
        return body

    def _rate_limit_wait(self, response: Response) -> float | None:
        """Seconds to wait before retrying, or None when the response is not a rate limit."""
        if response.status not in (403, 429):
            return None
        headers = response.headers
        if "retry-after" in headers:
            try:
                return max(0.0, float(headers["retry-after"]))
            except ValueError:
                return float(self._max_wait + 1)
        if headers.get("x-ratelimit-remaining") == "0":
            try:
                return max(0.0, float(headers.get("x-ratelimit-reset", "0")) - self._clock())
            except ValueError:
                return float(self._max_wait + 1)
        return None if response.status == 403 else float(self._max_wait + 1)

    def failure(self, response: Response, what: str) -> AlmanacError:
        """A one-line error for an unexpected status, with the forge's own message, token redacted."""
        try:
            message = str(response.json().get("message", ""))
        except (ValueError, AttributeError, UnicodeDecodeError):
            message = ""
        return AlmanacError(self.redact(f"{self.base.netloc}: {what}: HTTP {response.status}"
                                        + (f" ({message})" if message else "")))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the Authorization header to wherever it points; report it instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)
