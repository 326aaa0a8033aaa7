"""Load and scale benchmarks: Stockroom against a raw WSGI + sqlite3 baseline (`make bench`).

Run as `python -m benchmarks.run`; never imported by the app or the test run's load path.
"""
