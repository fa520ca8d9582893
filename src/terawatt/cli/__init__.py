"""The ``terawatt`` command line (``terawatt.cli.commands`` holds the Typer application).

This module stays light: :func:`main` installs the Ctrl-C handling before the models and their
libraries are imported, so an interrupt at any moment, during start-up too, ends with one line
on stderr and exit code 130 (128 + SIGINT), never a traceback; run folders are written under a
temporary name and renamed, so nothing half-written is left.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

#: Exit code of a run ended by Ctrl-C (the shell convention 128 + SIGINT).
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script and of ``python -m terawatt``."""
    try:
        from terawatt.cli.commands import app  # noqa: PLC0415 - after the handler is in place

        app(args=argv, prog_name="terawatt", standalone_mode=True)
    except KeyboardInterrupt:
        _interrupted()
    except ImportError as exc:
        # Ctrl-C while a compiled extension initialises (pybind11, e.g. OR-Tools) surfaces as
        # "ImportError: initialization failed" caused by the KeyboardInterrupt
        if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
            _interrupted()
        raise


def _interrupted() -> None:
    try:
        sys.stderr.write("interrupted: nothing was written\n")
        sys.stderr.flush()
    finally:
        raise SystemExit(EXIT_INTERRUPTED)


def __getattr__(name: str) -> Any:
    """``from terawatt.cli import app`` (tests, embedding) without importing it at start-up."""
    if name == "app":
        from terawatt.cli.commands import app  # noqa: PLC0415

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
