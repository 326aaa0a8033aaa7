"""Security headers on every response (OWASP secure headers, sized for a JSON API + pages)."""

from typing import TYPE_CHECKING

from flask import Flask

from app.http.plumbing import HeaderFinisher, Headers, plumbing

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
CSP_HEADER = "Content-Security-Policy"


def security_finisher(fixed: Headers) -> HeaderFinisher:
    """Return the finisher that sets `fixed` (replacing any the view set) and a CSP.

    The CSP is the page one for an HTML response, the API one otherwise, unless the view
    set its own. Everything that does not depend on the response is worked out here, once.
    """
    replaced = frozenset(name.lower() for name, _ in fixed)
    page_csp, api_csp = (CSP_HEADER, PAGE_CSP), (CSP_HEADER, API_CSP)

    def add_security_headers(_environ: "WSGIEnvironment", headers: Headers) -> Headers:
        kept: Headers = []
        has_csp = is_html = False
        for header in headers:
            lower = header[0].lower()
            if lower in replaced:
                continue
            if lower == "content-security-policy":
                has_csp = True
            elif lower == "content-type":
                is_html = header[1].split(";", 1)[0].strip().lower() == "text/html"
            kept.append(header)
        kept += fixed
        if not has_csp:
            kept.append(page_csp if is_html else api_csp)
        return kept

    return add_security_headers


def finish_headers(fixed: Headers, headers: Headers) -> Headers:
    """Set the fixed headers (replacing any the view set) and a CSP unless the view set one."""
    return security_finisher(fixed)({}, headers)


def init_app(app: Flask) -> None:
    """Add the headers; HSTS only when cookies are HTTPS-only (that is, in production)."""
    headers = dict(COMMON_HEADERS)
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS
    plumbing(app).finishers.append(security_finisher(list(headers.items())))
