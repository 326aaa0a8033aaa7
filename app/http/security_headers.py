"""Security headers on every response (OWASP secure headers, sized for a JSON API + pages)."""

from flask import Flask, Response

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


def init_app(app: Flask) -> None:
    """Add the headers; HSTS only when cookies are HTTPS-only (that is, in production)."""
    headers = dict(COMMON_HEADERS)
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS

    def add_security_headers(response: Response) -> Response:
        response.headers.update(headers)
        if "Content-Security-Policy" not in response.headers:
            is_html = response.mimetype == "text/html"
            response.headers["Content-Security-Policy"] = PAGE_CSP if is_html else API_CSP
        return response

    app.after_request(add_security_headers)
