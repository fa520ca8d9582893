"""Audit provenance: which inputs a scenario took from which claim, and what the model gives
without them.

A scenario override *cites* a claim when its source (title, publisher) or its own note names
the claim id (``C01`` ... ``C25``), as the seed scenario's overrides do ("Musk interview
6 Feb 2026, claim C01"). The registry records every override (:attr:`Registry.overrides`,
with the file it came from); :func:`claim_inputs` reads them. A ``--set`` override names no
claim: it is the user's own choice.

:func:`without` puts keys back to their packaged values, so the audit can evaluate a claim on a
model that does not take the claim as an input. :class:`RecordingRegistry` records every key a
model reads, which makes a quantity's declared keys checkable rather than trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from terawatt.assumptions import Assumption, Registry, load_registry

#: a claim id as the seed's claims.md numbers them
CLAIM_ID = re.compile(r"\bC\d{2}\b")


@lru_cache(maxsize=1)
def _packaged() -> Registry:
    return load_registry()


@dataclass(frozen=True)
class ClaimInput:
    """An assumption a scenario set from one or more claims.

    ``value``/``unit``: the scenario's value; ``packaged``: the value without the override
    (None for a key the packaged registry lacks); ``origin``: the scenario file that set it.
    """

    key: str
    claims: tuple[str, ...]
    value: float
    unit: str
    packaged: float | None
    origin: str
    source: str

    @property
    def origin_name(self) -> str:
        return Path(self.origin).name if self.origin else "?"

    def describe(self) -> str:
        from terawatt.audit.context import fmt

        return f"{self.key} = {fmt(self.value, self.unit)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "claims": list(self.claims),
            "value": self.value,
            "unit": self.unit,
            "packaged_value": self.packaged,
            "origin": self.origin,
            "source": self.source,
        }


def cited_claims(a: Assumption, packaged: Assumption | None) -> tuple[str, ...]:
    """Claim ids named by an overridden assumption's source, or by its note when the override
    brought its own note (a note inherited from the packaged entry does not count)."""
    text = f"{a.source.title} {a.source.publisher}"
    if packaged is None or a.note != packaged.note:
        text += f" {a.note}"
    return tuple(sorted(set(CLAIM_ID.findall(text))))


def claim_inputs(reg: Registry) -> dict[str, ClaimInput]:
    """Every overridden key whose override cites a claim, with the claims it cites."""
    base = _packaged()
    origins: dict[str, str] = {}
    for o in reg.overrides:  # the last override of a key is the one in force
        origins[o.key] = o.origin
    out: dict[str, ClaimInput] = {}
    for key, origin in origins.items():
        a = reg.get(key)
        pk = base.items.get(key) if key in base else None
        ids = cited_claims(a, pk)
        if ids:
            out[key] = ClaimInput(
                key, ids, a.value, a.unit, pk.value if pk is not None else None, origin,
                a.source.cite(),
            )
    return out


def own_inputs(reg: Registry, claim_id: str, reads: Iterable[str]) -> list[ClaimInput]:
    """The inputs among ``reads`` that the scenario took from claim ``claim_id`` (and that the
    packaged registry can give back)."""
    ci = claim_inputs(reg)
    return [ci[k] for k in sorted(set(reads)) if k in ci and claim_id in ci[k].claims
            and ci[k].packaged is not None]


def without(reg: Registry, keys: Iterable[str]) -> Registry:
    """``reg`` with ``keys`` back to their packaged values (value, range, source), their
    overrides dropped from the record."""
    ks = set(keys)
    base = _packaged()
    items = dict(reg.items)
    for k in ks:
        items[k] = base.get(k)
    overrides = tuple(o for o in reg.overrides if o.key not in ks)
    return Registry(items, reg.scenario, reg.scenario_chain, overrides)


def packaged_range(key: str) -> tuple[float, float] | None:
    """The packaged (published) low..high of ``key`` in its own unit, None without a range."""
    a = _packaged().get(key)
    if a.low is None or a.high is None or not a.low < a.high:
        return None
    return a.low, a.high


def with_packaged_values(reg: Registry, values: Mapping[str, float], origin: str) -> Registry:
    """``reg`` with ``values`` (in each key's packaged unit) and the packaged range kept."""
    base = _packaged()
    spec = {k: {"value": v, "unit": base.get(k).unit} for k, v in values.items()}
    return without(reg, values).with_values(spec, origin)


# ------------------------------------------------------------------------------------------
# checking what a quantity reads
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordingRegistry(Registry):
    """A registry that records every key read through it (``get``, hence ``si``, ``value``,
    ``low_high`` and ``sample``), also through registries derived by ``with_values``."""

    log: set[str] = field(default_factory=set, compare=False, repr=False)

    @classmethod
    def wrap(cls, reg: Registry, log: set[str] | None = None) -> RecordingRegistry:
        return cls(reg.items, reg.scenario, reg.scenario_chain, reg.overrides,
                   set() if log is None else log)

    def get(self, key: str) -> Assumption:
        self.log.add(key)
        return super().get(key)

    def with_values(self, values: Mapping[str, Any], origin: str,
                    files: Mapping[str, str] | None = None) -> Registry:
        return RecordingRegistry.wrap(super().with_values(values, origin, files), self.log)
