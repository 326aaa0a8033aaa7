"""Security headers on every response (OWASP secure headers, sized for a JSON API + pages)."""

from typing import TYPE_CHECKING

from flask import Flask

from app.http.plumbing import Headers, plumbing

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Pages use only our own scripts and styles; the API docs page needs inline bootstrapping.
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def finish_headers(fixed: Headers, headers: Headers) -> Headers:
    """Set the fixed headers (replacing any the view set) and a CSP unless the view set one."""
    replaced = {name.lower() for name, _ in fixed}
    kept: Headers = []
    has_csp = is_html = False
    for name, value in headers:
        lower = name.lower()
        if lower in replaced:
            continue
        if lower == "content-security-policy":
            has_csp = True
        elif lower == "content-type":
            is_html = value.split(";", 1)[0].strip().lower() == "text/html"
        kept.append((name, value))
    kept.extend(fixed)
    if not has_csp:
        kept.append(("Content-Security-Policy", PAGE_CSP if is_html else API_CSP))
    return kept


def init_app(app: Flask) -> None:
    """Add the headers; HSTS only when cookies are HTTPS-only (that is, in production)."""
    headers = dict(COMMON_HEADERS)
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS
    fixed = list(headers.items())

    def add_security_headers(_environ: "WSGIEnvironment", response_headers: Headers) -> Headers:
        return finish_headers(fixed, response_headers)

    plumbing(app).finishers.append(add_security_headers)
