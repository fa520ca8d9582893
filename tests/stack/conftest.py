"""Shared fixtures for the stack-model tests (registries are loaded once per session)."""

from __future__ import annotations

from functools import lru_cache

from terawatt.assumptions import Registry, load_assumptions


@lru_cache(maxsize=8)
def registry(scenario: str) -> Registry:
    return load_assumptions(scenario)
