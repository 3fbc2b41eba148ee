"""Secure by default, even on localhost: a Host allow-list, Origin and CSRF checks, strict headers.

One pure ASGI middleware, so it guards every router (the player's too) and every response,
including errors raised before routing:

- the Host header must name this app (127.0.0.1, localhost or [::1] and the configured host, each
  with the port): anything else is a DNS-rebinding attempt and gets 400;
- every state-changing request (POST, PUT, PATCH, DELETE) needs an Origin (or Referer) of this
  app *and* the CSRF token: a double-submit of the SameSite=Strict cookie's value as the form
  field ``csrf_token`` or the ``X-CSRF-Token`` header, else 403. Tokens are signed with a secret
  made per app, so a cookie planted by another program on localhost (cookies ignore ports) or
  one from before a restart never validates;
- when the app is open to the network (``deskstretch app --allow-remote``), every request needs
  the secret access token: ``?token=`` in the address (answered with a redirect to the same
  address without it, setting an HttpOnly SameSite=Strict cookie), the cookie, or an
  ``Authorization: Bearer`` header, compared in constant time; else 401;
- WebSocket handshakes need a matching Host and Origin (browsers let any page open one);
- every response gets a strict Content-Security-Policy, nosniff, a same-origin referrer policy,
  a Permissions-Policy (camera, microphone and location off, unless the route set its own: the
  player page allows the camera for this app only) and a Cache-Control.

Templates get the token as ``csrf_token``; scripts read ``<meta name="csrf-token">`` and send it
as the ``X-CSRF-Token`` header.

Past 400 lines: one middleware's checks (host, access token, origin, CSRF, body limits, headers)
share one pass over each request, so they stay together.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_COOKIE = "deskstretch_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
ACCESS_COOKIE = "deskstretch_access"
ACCESS_QUERY = "token"
MAX_BODY_BYTES = 1_000_000
UPLOAD_BODY_BYTES: dict[str, int] = {"/assess": 48_000_000}
"""Routes that take photos, each with its own body limit (3 photos of up to 15 MB, and the form's
other fields). An upload over it is read to its end (a browser still sending shows a broken
connection, not the answer), then handed to the route with no body and
``request.state.body_too_large`` set to the limit: the route shows its form again (413) with the
problem beside the file field, and changes nothing (so it needs no CSRF token then; the Origin
check has already passed)."""
UPLOAD_DRAIN_FACTOR = 20
"""Past this many times its limit, an upload is refused outright, unread."""
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

_CSP = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("media-src", "'self' blob:"),
    ("connect-src", "'self'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
)
_HEADERS = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)
# Static files are addressed with a content hash (?v=...) by the templates, so they can be
# kept for a year; without one, the browser revalidates (ETag) every time. Pages may hold
# health records: never stored.
STATIC_VERSIONED_CACHE = "public, max-age=31536000, immutable"
STATIC_CACHE = "no-cache"
PAGE_CACHE = "no-store"


def content_security_policy(style_hashes: Iterable[str] = ()) -> str:
    """The policy for every response; ``style_hashes`` ('sha256-...') allow exact inline styles."""
    extra = "".join(f" '{digest}'" for digest in style_hashes)
    return "; ".join(
        f"{name} {value}{extra if name == 'style-src' else ''}" for name, value in _CSP
    )


def style_hash(css: str) -> str:
    """The CSP source expression that allows exactly this inline ``<style>`` content."""
    import base64

    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class Origins:
    """The Host header values (lower case, with port) this app answers to."""

    hosts: frozenset[str]

    @classmethod
    def for_address(cls, host: str, port: int, extra_names: Iterable[str] = ()) -> Origins:
        """Loopback names, ``host`` and ``extra_names`` (this computer's own name and address,
        for a wildcard bind opened to the network with --allow-remote)."""
        names = {
            *LOOPBACK_NAMES,
            *(f"[{name}]" if ":" in name else name for name in (host, *extra_names)),
        }
        names.discard("0.0.0.0")  # a wildcard bind address is not a name anyone browses to
        names.discard("[::]")
        hosts = {f"{name.lower()}:{port}" for name in names}
        if port == 80:
            hosts |= {name.lower() for name in names}
        return cls(frozenset(hosts))

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)

    def allows_referer(self, referer: str) -> bool:
        return any(referer == origin or referer.startswith(origin + "/") for origin in self.origins)


class CsrfTokens:
    """Signed random tokens: ``<nonce>.<hmac(secret, nonce)>``."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode("ascii"), hashlib.sha256).hexdigest()

    def new(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._sign(nonce)}"

    def is_valid(self, token: str) -> bool:
        nonce, _, signature = token.partition(".")
        if not nonce or not signature or not token.isascii():
            return False
        return hmac.compare_digest(signature, self._sign(nonce))


class RequestRefused(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


class SecurityMiddleware:
    def __init__(
        self, app: ASGIApp, origins: Origins, tokens: CsrfTokens, access_token: str | None = None
    ) -> None:
        self.app = app
        self.origins = origins
        self.tokens = tokens
        self.access_token = access_token
        """Set when the app is open to the network (--allow-remote): every request needs it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            headers = Headers(scope=scope)
            if (
                headers.get("host", "").lower() not in self.origins.hosts
                or headers.get("origin", "") not in self.origins.origins
            ):
                await send({"type": "websocket.close", "code": 1008})
                return
            if self.access_token is not None and not self._has_access(headers):
                await send({"type": "websocket.close", "code": 1008})
                return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = _cookie(headers, CSRF_COOKIE)
        token = cookie if self.tokens.is_valid(cookie) else self.tokens.new()
        send = self._decorate(scope, send, None if token == cookie else token)
        scope.setdefault("state", {})["csrf_token"] = token
        try:
            if headers.get("host", "").lower() not in self.origins.hosts:
                raise RequestRefused(
                    400,
                    "Wrong address",
                    "This request was addressed to another host name, so deskstretch refused it"
                    " (a protection against DNS rebinding). Open deskstretch at "
                    f"http://{sorted(self.origins.hosts)[0]}/ instead.",
                )
            if self.access_token is not None:
                clean = self._check_access(scope, headers)
                if clean is not None:
                    await _see_other(send, clean, _access_cookie(self.access_token))
                    return
            if scope["method"] not in SAFE_METHODS:
                self._check_origin(headers)
                upload_limit = UPLOAD_BODY_BYTES.get(scope.get("path", ""))
                body = await _read_body(receive, upload_limit)
                if body is None:  # an upload over its route's limit: the route's form says so
                    scope["state"]["body_too_large"] = upload_limit
                    await self.app(scope, _replay(b"", None), send)
                    return
                sent = headers.get(CSRF_HEADER) or await _form_token(scope, body)
                if not (token == cookie and _same(sent, token)):
                    raise RequestRefused(
                        403,
                        "Form out of date",
                        "The form's security token was missing or out of date (this happens when"
                        " deskstretch has restarted since the page loaded), so nothing was"
                        " changed. Go back, reload the page and try again.",
                    )
                receive = _replay(body, receive)
        except RequestRefused as refused:
            await _refuse(scope, send, refused)
            return
        await self.app(scope, receive, send)

    def _has_access(self, headers: Headers) -> bool:
        """The access token as the cookie, or as ``Authorization: Bearer <token>``."""
        assert self.access_token is not None
        scheme, _, bearer = headers.get("authorization", "").partition(" ")
        offered = (_cookie(headers, ACCESS_COOKIE), bearer if scheme.lower() == "bearer" else "")
        return any(_same(value, self.access_token) for value in offered)

    def _check_access(self, scope: Scope, headers: Headers) -> str | None:
        """None when the request carries the access token; the address without the token when
        it came in the query (to set the cookie and go there); else RequestRefused (401)."""
        assert self.access_token is not None
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)
        offered = [value for name, value in query if name == ACCESS_QUERY]
        if offered and scope["method"] in SAFE_METHODS:
            if all(_same(value, self.access_token) for value in offered):
                rest = urlencode([(name, value) for name, value in query if name != ACCESS_QUERY])
                # One leading slash: "//host/..." would send the browser to another site.
                path = "/" + str(scope.get("path", "/")).lstrip("/")
                return f"{path}?{rest}" if rest else path
        elif self._has_access(headers):
            return None
        raise RequestRefused(
            401,
            "Access token needed",
            "This deskstretch is open to the network, so it answers only with its access token."
            " Open the full address printed where `deskstretch app` was started (it ends in"
            " ?token=...).",
        )

    def _check_origin(self, headers: Headers) -> None:
        origin = headers.get("origin")
        if origin is not None:
            if origin in self.origins.origins:
                return
            where = f"from '{origin}'"
        else:
            referer = headers.get("referer")
            if referer is not None and self.origins.allows_referer(referer):
                return
            where = "without saying where it came from (no Origin or Referer header)"
        raise RequestRefused(
            403,
            "Request refused",
            f"A request to change something came {where}, not from a deskstretch page, so it"
            " was refused and nothing was changed. If you were using deskstretch, go back, reload"
            " the page and try again.",
        )

    def _decorate(self, scope: Scope, send: Send, new_token: str | None) -> Send:
        path: str = scope.get("path", "")
        query: bytes = scope.get("query_string", b"")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS:
                    # A route may set its own Permissions-Policy (the player: camera=(self)).
                    if name not in headers or name != "permissions-policy":
                        headers[name] = value
                if "content-security-policy" not in headers:
                    headers["content-security-policy"] = content_security_policy()
                if path.startswith("/static/"):
                    versioned = b"v=" in query and message.get("status") == 200
                    headers["cache-control"] = STATIC_VERSIONED_CACHE if versioned else STATIC_CACHE
                else:
                    headers["cache-control"] = PAGE_CACHE
                if new_token is not None:
                    headers.append("set-cookie", _csrf_cookie(new_token))
            await send(message)

        return send_with_headers


def _same(sent: str, token: str) -> bool:
    # As bytes: compare_digest refuses non-ASCII str, and a header can hold anything.
    return bool(sent) and hmac.compare_digest(sent.encode("utf-8"), token.encode("utf-8"))


def _access_cookie(token: str) -> str:
    # HttpOnly and SameSite=Strict: no script reads it and no other site's page sends it.
    return f"{ACCESS_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"


async def _see_other(send: Send, location: str, cookie: str) -> None:
    """A 303 to ``location`` (a path on this app) that sets ``cookie``."""
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"set-cookie", cookie.encode("latin-1")),
                (b"content-length", b"0"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _csrf_cookie(token: str) -> str:
    # HttpOnly: pages hand the token to scripts through the meta tag, never through the cookie.
    return f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"


def _cookie(headers: Headers, name: str) -> str:
    return cookie_parser(headers.get("cookie", "")).get(name, "")


async def _read_body(receive: Receive, upload_limit: int | None = None) -> bytes | None:
    """The whole body; over the limit, 413 (RequestRefused), or for an upload route
    (``upload_limit``) None once the rest is read and dropped (see UPLOAD_BODY_BYTES)."""
    limit = MAX_BODY_BYTES if upload_limit is None else upload_limit
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit and (upload_limit is None or size > limit * UPLOAD_DRAIN_FACTOR):
            too_much = f"The request is larger than {limit:,} bytes."
            raise RequestRefused(413, "Too much data", too_much)
        if size <= limit:
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks) if size <= limit else None


def _replay(body: bytes, receive: Receive | None) -> Receive:
    """A receive callable that hands over the buffered body once, then defers to ``receive``."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if receive is None:
            return {"type": "http.disconnect"}
        return await receive()

    return replay


async def _form_token(scope: Scope, body: bytes) -> str:
    """The ``csrf_token`` field of a urlencoded or multipart form body, or ''."""
    content_type = Headers(scope=scope).get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return ""
    request = Request(scope, _replay(body, None))
    try:
        form = await request.form()
    except Exception:  # a malformed form has no token; the route never sees it
        return ""
    value = form.get(CSRF_FIELD)
    await form.close()
    return value if isinstance(value, str) else ""


async def _refuse(scope: Scope, send: Send, refused: RequestRefused) -> None:
    """A short self-contained answer (JSON for the API, else a page with the app's style)."""
    accept = Headers(scope=scope).get("accept", "")
    path: str = scope.get("path", "")
    if path.startswith("/api/") or "application/json" in accept:
        payload: dict[str, Any] = {"detail": refused.message}
        body = json.dumps(payload).encode("utf-8")
        content_type = b"application/json"
    else:
        from markupsafe import escape

        body = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(refused.title)} – deskstretch</title>"
            '<link rel="stylesheet" href="/static/css/app.css"></head><body>'
            f'<main id="main" class="page narrow"><h1>{escape(refused.title)}</h1>'
            f"<p>{escape(refused.message)}</p>"
            '<p><a href="/">Back to deskstretch</a> · <a href="/help">Get help</a></p>'
            "</main></body></html>"
        ).encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": refused.status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
