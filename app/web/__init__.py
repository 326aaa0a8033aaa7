"""The server-rendered dashboard at /, over the same services as the API.

Rule: web blueprints parse forms, call services and render templates; they never query.
"""
