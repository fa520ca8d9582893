"""``terawatt claims``: every claim of the interview (C01-C25) with a computed verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from terawatt.audit.claims import VERDICTS
from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry

_STYLE = {
    "consistent": "green",
    "inconsistent": "red",
    "conditional": "yellow",
    "input": "cyan",  # the model value is the scenario's input taken from the claim itself
    "not-checkable": "dim",
}
assert set(_STYLE) == set(VERDICTS), "every verdict needs a colour"


def claims(
    *,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="A claims TOML file instead of the packaged C01-C25."),
    ] = None,
    costs: Annotated[
        Path | None,
        typer.Option("--costs", help="A cost file overriding costs.*/economics.* assumptions."),
    ] = None,
    ids: Annotated[
        list[str] | None, typer.Option("--id", help="Only this claim id (repeatable).")
    ] = None,
) -> None:
    """Audit the interview's claims: model value next to the claimed one, verdict and why."""
    from terawatt.audit.claims import audit
    from terawatt.economics.service import apply_cost_file

    reg = registry(scenario, set_)
    if costs is not None:
        reg = apply_cost_file(reg, str(costs))
    results = audit(reg, claims_file=file, ids=ids)
    if json_:
        emit_json([r.as_dict() for r in results])
        return
    table = Table(title=f"Claims audit ({reg.scenario})", show_lines=True)
    for col, kw in (
        ("id", {}),
        ("claim", {"ratio": 3}),
        ("claimed", {}),
        ("model", {"justify": "right"}),
        ("verdict", {}),
        ("why", {"ratio": 5}),
    ):
        table.add_column(col, overflow="fold", **kw)  # type: ignore[arg-type]
    for r in results:
        v = r.verdict
        table.add_row(
            r.spec.id,
            r.spec.text,
            r.spec.claimed_text(),
            r.model_text(),
            f"[{_STYLE[v]}]{v}[/]",
            r.explanation,
        )
    out = console()
    out.print(table)
    counts = {v: sum(r.verdict == v for r in results) for v in _STYLE}
    out.print(", ".join(f"{n} {v}" for v, n in counts.items()))


def register(app: typer.Typer) -> None:
    """Add ``terawatt claims`` and ``terawatt costs`` to the CLI."""
    from terawatt.cli.costs_cmd import costs
    from terawatt.cli.validate import Command

    app.command("claims", cls=Command)(claims)
    app.command("costs", cls=Command)(costs)
