"""User-facing errors.

A :class:`UserError` is raised for bad input (unknown key, wrong unit, value out of range,
malformed file). The CLI prints its message as one line and exits with code 2; library code
never prints.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user: one line naming the file, key, value and what is allowed."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)
