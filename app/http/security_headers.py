"""Security headers on every response (OWASP secure headers, sized for a JSON API + pages).

Every response gets the REST set (nosniff, X-Frame-Options, a CSP, HSTS in production);
HTML pages also get the headers that only a document acts on (see PAGE_HEADERS).
"""

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
# On every response: OWASP's REST Security Cheat Sheet set (with the CSP and, in
# production, HSTS below).
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
# On HTML pages only: they govern what a document does (the links it follows, the windows
# it shares, the browser features it may use), and a JSON, CSV or metrics response is no
# document. The password-reset page relies on `Referrer-Policy` to keep its token out of
# any Referer.
PAGE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"
CSP_HEADER = "Content-Security-Policy"


def security_finisher(fixed: Headers, page_only: Headers | None = None) -> HeaderFinisher:
    """Return the finisher that sets `fixed` (replacing any the view set), and a CSP.

    An HTML response also gets `page_only` and the page CSP, anything else the API CSP,
    unless the view set its own CSP. Everything that does not depend on the response is
    worked out here, once.
    """
    page_fixed = [*fixed, *(page_only or [])]
    api_names = frozenset(name.lower() for name, _ in fixed)
    page_names = frozenset(name.lower() for name, _ in page_fixed)
    for_api = (api_names, fixed, (CSP_HEADER, API_CSP))
    for_page = (page_names, page_fixed, (CSP_HEADER, PAGE_CSP))

    def add_security_headers(_environ: "WSGIEnvironment", headers: Headers) -> Headers:
        replaced, added, csp = for_page if _is_html(headers) else for_api
        kept: Headers = []
        has_csp = False
        for header in headers:
            lower = header[0].lower()
            if lower in replaced:
                continue
            if lower == "content-security-policy":
                has_csp = True
            kept.append(header)
        kept += added
        if not has_csp:
            kept.append(csp)
        return kept

    return add_security_headers


def _is_html(headers: Headers) -> bool:
    for name, value in headers:
        if name.lower() == "content-type":
            return value.split(";", 1)[0].strip().lower() == "text/html"
    return False


def finish_headers(fixed: Headers, headers: Headers, page_only: Headers | None = None) -> Headers:
    """Set the fixed headers (replacing any the view set) and a CSP unless the view set one."""
    return security_finisher(fixed, page_only)({}, headers)


def init_app(app: Flask) -> None:
    """Add the headers; HSTS only when cookies are HTTPS-only (that is, in production)."""
    headers = dict(COMMON_HEADERS)
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS
    finisher = security_finisher(list(headers.items()), list(PAGE_HEADERS.items()))
    plumbing(app).finishers.append(finisher)
