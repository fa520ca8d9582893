"""Request bodies of the JSON API (pydantic, unknown fields refused).

Every model input arrives as ``scenario`` (a packaged scenario name, never a path) and
``values``, a map of assumption key -> override read by the same code as ``--set``
(:meth:`terawatt.assumptions.Registry.with_values`): a bare number is in the key's own unit,
text is one number and an optional unit (``"150 t"``, ``"300 W/kg"``, ``"5 %"``). Unknown keys,
wrong units and values outside an assumption's physical bounds are refused with the library's
one-line message (HTTP 400); a body that does not match these schemas gets 422.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from terawatt.assumptions.loader import DEFAULT_SCENARIO
from terawatt.stack import DEFAULT_POLICY
from terawatt.web import limits

#: Largest seed: CP-SAT's signed 32-bit ``random_seed`` (as ``terawatt run --seed``).
SEED_MAX = 2**31 - 1
#: Longest scenario name [character] (packaged names are short words).
MAX_NAME_CHARS = 60
#: Longest assumption key [character] (the longest packaged key has 52).
MAX_KEY_CHARS = 100
#: A file name for a saved scenario: letters, digits, '-', '_', '.', not starting with '.'.
SCENARIO_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
#: A claim id as in ``audit/data/claims.toml`` (C01 ... C25; other claim files may add more).
CLAIM_ID = r"^[A-Za-z][A-Za-z0-9_-]{0,31}$"

_VALUE_HELP = ("a number in the key's own unit, or text with one number and an optional unit, "
               "e.g. '150 t', '300 W/kg', '5 %'")


def _override(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise ValueError(_VALUE_HELP)
    return v


#: One override value (checked against the registry by the service, like ``--set``).
OverrideValue = Annotated[
    Any, BeforeValidator(_override),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}],
                    "description": _VALUE_HELP}),
]
Key = Annotated[str, Field(min_length=1, max_length=MAX_KEY_CHARS)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Overrides(_Body):
    """A packaged scenario and assumption overrides (as ``--scenario NAME --set KEY=VALUE``)."""

    scenario: str = Field(DEFAULT_SCENARIO, min_length=1, max_length=MAX_NAME_CHARS,
                          description="Packaged scenario name (GET /api/scenarios).")
    values: dict[Key, OverrideValue] = Field(
        default_factory=dict, max_length=limits.MAX_OVERRIDES,
        description="Assumption key -> override (" + _VALUE_HELP + ").",
        examples=[{"launch.launches_per_year": 20000, "satellite.array.specific_power":
                   "300 W/kg"}])


class ExploreRequest(Overrides):
    """The explorer's one call: the central stack run, the costs on its launch cadence and
    every chart."""

    year: int | None = Field(None, description="Year of the cost break-evens and tornado: a "
                             "whole year within the run (default 2029, claim C03's 30-36 "
                             "months, or the horizon's end if sooner).")


class StackRequest(Overrides):
    """A stack run (the central case, or Monte Carlo samples up to the field's limit)."""

    samples: int = Field(1, ge=1, le=limits.MAX_SAMPLES,
                         description="Monte Carlo samples (1 = the central case).")
    seed: int = Field(0, ge=0, le=SEED_MAX, description="Random seed for samples > 1.")
    allocation: str = Field(DEFAULT_POLICY, max_length=MAX_NAME_CHARS,
                            description="Chip allocation policy, as terawatt run --allocation.")


class CostsRequest(ExploreRequest):
    """USD per W-year and per million tokens, ground vs orbit (``terawatt costs``)."""


class ScenarioRequest(Overrides):
    """"Save as scenario": a scenario TOML with ``parent = scenario`` and ``values`` in its
    ``[set]`` table, which ``terawatt run --scenario FILE`` accepts."""

    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, pattern=SCENARIO_NAME,
                      description="Name of the new scenario (also its file name).")
    description: str = Field("", max_length=limits.MAX_DESCRIPTION_CHARS)


class ClaimRequest(Overrides):
    """One claim re-evaluated on the scenario with the overrides."""


class FlipRequest(Overrides):
    """One claim evaluated at evenly spaced values of one input across its range: where its
    verdict flips."""

    key: Key = Field(description="The input to vary (one of the claim's inputs, or any key).")
    points: int = Field(limits.DEFAULT_FLIP_POINTS, ge=3, le=limits.MAX_FLIP_POINTS,
                        description="Values evaluated across the input's range.")
