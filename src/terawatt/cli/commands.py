"""The Typer application: thin commands over the library's service functions.

User errors (:class:`terawatt.errors.UserError`) are caught here only, printed as one line on
stderr, and end the process with exit code 2. Usage errors found by Typer/Click (a value of the
wrong type, a missing argument, an unknown option) get the same treatment: one line
(:func:`terawatt.cli.validate.usage_error_line`) instead of Rich's usage box, exit code 2.
``--help`` and a bare group (``terawatt``, ``terawatt fleet``) still print the help.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from terawatt.cli import (
    EXIT_INTERRUPTED,
    assumptions_cmd,
    claims_cmd,
    fleet_cmd,
    fleet_plan_cmd,
    physics_cmd,
    robots_cmd,
    run_cmd,
    serve_cmd,
    sweep_cmd,
    train_cmd,
)
from terawatt.cli.validate import ClickException, Command, Group, usage_error_line
from terawatt.errors import UserError


def _fail(exc: UserError) -> typer.Exit:
    sys.stderr.write(f"error: {exc}\n")
    sys.stderr.flush()
    return typer.Exit(2)


def _usage(exc: Exception) -> typer.Exit:
    sys.stderr.write(f"error: {usage_error_line(exc)}\n")
    sys.stderr.flush()
    return typer.Exit(getattr(exc, "exit_code", 2))


def _shows_help(exc: Exception) -> bool:
    """A bare group (``no_args_is_help``): let Click print the help as before."""
    return type(exc).__name__ == "NoArgsIsHelpError"


class _Group(Group):
    """Turns a :class:`UserError` raised by any command, and any Click/Typer usage error of the
    command line (this group's, a sub-group's or a command's), into one line on stderr and
    exit 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        with _one_line_errors():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _one_line_errors():
            return super().invoke(ctx)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """User errors, usage errors and Ctrl-C as one line on stderr and their exit code."""
    try:
        yield
    except UserError as exc:
        raise _fail(exc) from None
    except ClickException as exc:
        if _shows_help(exc):
            raise
        raise _usage(exc) from None
    except KeyboardInterrupt:
        raise _interrupted() from None


def _interrupted() -> typer.Exit:
    """Ctrl-C: one line on stderr, exit 130 (run folders clean up after themselves)."""
    sys.stderr.write("interrupted: nothing was written\n")
    sys.stderr.flush()
    return typer.Exit(EXIT_INTERRUPTED)


app = typer.Typer(
    cls=_Group,
    name="terawatt",
    help="First-principles simulator and planner: AI compute on Earth and in orbit, "
    "and the robot fleets that build it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """terawatt: every number with a unit and a source; the bottleneck named."""


app.command("run", cls=Command)(run_cmd.run)
app.command("physics", cls=Command)(physics_cmd.physics)
claims_cmd.register(app)  # claims + costs
app.add_typer(fleet_cmd.app, name="fleet")
fleet_plan_cmd.register(fleet_cmd.app)  # fleet plan / simulate / explain
app.command("assumptions", cls=Command)(assumptions_cmd.assumptions)
app.command("sweep", cls=Command)(sweep_cmd.sweep)
app.command("train", cls=Command)(train_cmd.train)
app.command("serve", cls=Command)(serve_cmd.serve)
app.command("robots", cls=Command)(robots_cmd.robots)
