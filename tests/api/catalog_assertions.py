"""The catalog tests' old name for tests/api/problems.py, kept for the modules still using it."""

from tests.api.problems import PROBLEM, VALIDATION, Headers, assert_problem

__all__ = ["PROBLEM", "VALIDATION", "Headers", "assert_problem"]
