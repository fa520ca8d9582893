"""The Typer application: thin commands over the library's service functions.

User errors (:class:`terawatt.errors.UserError`) are caught here only, printed as one line on
stderr, and end the process with exit code 2 (usage errors also exit 2, as in Click).
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from terawatt.cli import (
    EXIT_INTERRUPTED,
    assumptions_cmd,
    claims_cmd,
    fleet_cmd,
    fleet_plan_cmd,
    physics_cmd,
    run_cmd,
)
from terawatt.errors import UserError


def _fail(exc: UserError) -> typer.Exit:
    sys.stderr.write(f"error: {exc}\n")
    sys.stderr.flush()
    return typer.Exit(2)


class _Group(TyperGroup):
    """Turns a :class:`UserError` raised by any command into one line on stderr and exit 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise _fail(exc) from None
        except KeyboardInterrupt:
            sys.stderr.write("interrupted: nothing was written\n")
            sys.stderr.flush()
            raise typer.Exit(EXIT_INTERRUPTED) from None


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


app.command("run")(run_cmd.run)
app.command("physics")(physics_cmd.physics)
claims_cmd.register(app)  # claims + costs
app.add_typer(fleet_cmd.app, name="fleet")
fleet_plan_cmd.register(fleet_cmd.app)  # fleet plan / simulate / explain
app.command("assumptions")(assumptions_cmd.assumptions)
