"""Response headers that keep pages self-contained and private, and the reverse-proxy setup.

The headers are added by a WSGI middleware around the whole application rather than an
`after_request` hook, so that every answer carries them: error pages, a 400 for an unknown
Host, a 413 for a body too large, and a response whose after-request hooks failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from flask import Config, Flask
from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# No third-party resource may load: a tracker or CDN would tell someone the visitor was here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Following a link to an organisation's site must not reveal that it came from here.
    "Referrer-Policy": "no-referrer",
}
# A shared computer must not keep a page with a confidential address or an expert's contact
# details in its browser cache, nor show it again with the Back button after logout.
NO_STORE = "no-store"
CREDENTIALS = ("HTTP_AUTHORIZATION", "HTTP_COOKIE")


def _content_type(headers: list[tuple[str, str]]) -> str:
    return next((value for name, value in headers if name.lower() == "content-type"), "")


def _merged_vary(headers: list[tuple[str, str]], wanted: str) -> list[tuple[str, str]]:
    """`headers` with one Vary header naming what it named plus `wanted`'s names."""
    names = [
        n.strip() for name, value in headers if name.lower() == "vary" for n in value.split(",")
    ]
    names += [name.strip() for name in wanted.split(",")]
    merged = ", ".join(dict.fromkeys(name for name in names if name))
    kept = [(name, value) for name, value in headers if name.lower() != "vary"]
    return [*kept, ("Vary", merged)] if merged else kept


class SecurityHeaders:
    """Add the security headers to every answer of the wrapped application."""

    def __init__(self, app: WSGIApplication, config: Config, *, static_path: str) -> None:
        self.app = app
        self.config = config
        self.static_path = static_path.rstrip("/") + "/"

    def _extra(self, environ: WSGIEnvironment, headers: list[tuple[str, str]]) -> dict[str, str]:
        extra = dict(HEADERS)
        static = environ.get("PATH_INFO", "").startswith(self.static_path)
        html = _content_type(headers).startswith("text/html")
        # Anonymous JSON (the public directory) may be cached; anything a credential may have
        # shaped (session cookie or bearer token), and every page, may not.
        if html or (not static and any(environ.get(name) for name in CREDENTIALS)):
            extra["Cache-Control"] = NO_STORE
        if not static:
            extra["Vary"] = "Cookie, Authorization"
        hsts_seconds = int(self.config["HSTS_SECONDS"])
        if environ.get("wsgi.url_scheme") == "https" and hsts_seconds > 0:
            extra["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
        return extra

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            extra = self._extra(environ, headers)
            headers = _merged_vary(headers, extra.pop("Vary", ""))
            present = {name.lower() for name, _value in headers}
            headers += [
                (name, value) for name, value in extra.items() if name.lower() not in present
            ]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


class TrustedProxies:
    """Werkzeug's ProxyFix for the `TRUSTED_PROXIES` reverse proxies in front of the app.

    With n proxies, the client's address is the n-th X-Forwarded-For value from the right
    and the scheme the n-th X-Forwarded-Proto value: what the first proxy saw. Anything a
    client put further left is ignored. The Host header is not taken from the proxies: it
    passes through (and must be one of TRUSTED_HOSTS).
    """

    def __init__(self, app: WSGIApplication, config: Config) -> None:
        self.app = app
        self.config = config
        self._fixes: dict[int, ProxyFix] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        proxies = int(self.config["TRUSTED_PROXIES"])
        if proxies <= 0:
            return self.app(environ, start_response)
        if proxies not in self._fixes:
            self._fixes[proxies] = ProxyFix(self.app, x_for=proxies, x_proto=proxies)
        return self._fixes[proxies](environ, start_response)


def init_app(app: Flask) -> None:
    """Headers on every answer; the client's address and scheme from the trusted proxies.

    The settings are read on every request, so they can change without rebuilding the app.
    """
    headers = SecurityHeaders(
        app.wsgi_app, app.config, static_path=app.static_url_path or "/static"
    )
    # Flask's documented way to add WSGI middleware; its types declare `wsgi_app` a method.
    app.wsgi_app = TrustedProxies(headers, app.config)  # type: ignore[method-assign]
