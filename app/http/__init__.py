"""HTTP plumbing shared by the API and the dashboard.

Request ids, JSON access logs, security headers, method override, JSON encoding, metrics.

Rule: may import Flask and `app.config`; never the API, dashboard, services or models.
"""
