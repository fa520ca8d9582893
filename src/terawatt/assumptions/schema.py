"""Typed, frozen schema of one assumption (pydantic, unknown keys refused)."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from terawatt.units import is_offset_unit, parse_unit, si_factor

#: distributions an assumption's range may declare (``distribution = "..."``)
DISTRIBUTIONS: tuple[str, ...] = ("uniform", "triangular", "loguniform")


class Source(BaseModel):
    """Where a figure comes from: title, publisher or author, year and a link."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    year: int = Field(ge=1600, le=2100)
    link: str = ""

    def cite(self) -> str:
        link = f", {self.link}" if self.link else ""
        return f"{self.title} ({self.publisher}, {self.year}{link})"


class Assumption(BaseModel):
    """One parameter. ``value``, ``low`` and ``high`` are in ``unit``.

    ``low``/``high`` give the range of a projection (used by the uncertainty layer);
    ``min``/``max`` are the physically allowed bounds (values outside are refused).
    ``distribution`` is how the range is sampled: ``"uniform"``, ``"triangular"`` (mode =
    value) or ``"loguniform"`` (needs low > 0); by default triangular when the value lies
    strictly inside (low, high), else uniform (see :attr:`sampling_distribution`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    value: float
    unit: str
    source: Source
    low: float | None = None
    high: float | None = None
    min: float | None = None
    max: float | None = None
    note: str = ""
    distribution: str | None = None

    @field_validator("distribution")
    @classmethod
    def _known_distribution(cls, v: str | None) -> str | None:
        if v is not None and v not in DISTRIBUTIONS:
            raise ValueError(f"{v!r} is not a known distribution "
                             f"(allowed: {', '.join(DISTRIBUTIONS)})")
        return v

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        parse_unit(unit)
        if is_offset_unit(unit):  # value x factor would be wrong for degC; store kelvin
            raise ValueError(f"unit {unit!r} has an offset; give the value in K (or another "
                             "unit without offset)")
        return unit

    @field_validator("value", "low", "high", "min", "max")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @model_validator(mode="after")
    def _ranges(self) -> Assumption:
        for name in ("value", "low", "high"):
            v = getattr(self, name)
            if v is not None and not math.isfinite(v * self.si_factor):
                raise ValueError(f"{name} = {v:g} {self.unit} overflows when converted to SI units")
        lo = self.min if self.min is not None else -math.inf
        hi = self.max if self.max is not None else math.inf
        for name in ("value", "low", "high"):
            v = getattr(self, name)
            if v is not None and not lo <= v <= hi:
                raise ValueError(
                    f"{name} = {v:g} {self.unit} is outside the allowed range "
                    f"[{_fmt(self.min)}, {_fmt(self.max)}] {self.unit}"
                )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low = {self.low:g} is above high = {self.high:g}")
        if self.low is not None and self.value < self.low:
            raise ValueError(f"value = {self.value:g} is below low = {self.low:g}")
        if self.high is not None and self.value > self.high:
            raise ValueError(f"value = {self.value:g} is above high = {self.high:g}")
        if self.distribution == "loguniform" and self.low is not None and self.low <= 0:
            raise ValueError(f"distribution 'loguniform' needs low > 0, got low = {self.low:g}")
        return self

    # --- SI views -------------------------------------------------------------------------
    @property
    def si_factor(self) -> float:
        return si_factor(self.unit)[0]

    @property
    def si_unit(self) -> str:
        return si_factor(self.unit)[1]

    @property
    def si(self) -> float:
        """The value in SI base units."""
        return self.value * self.si_factor

    @property
    def si_low(self) -> float:
        return (self.low if self.low is not None else self.value) * self.si_factor

    @property
    def si_high(self) -> float:
        return (self.high if self.high is not None else self.value) * self.si_factor

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low < self.high

    @property
    def sampling_distribution(self) -> str:
        """The declared distribution, else triangular if low < value < high, else uniform."""
        if self.distribution is not None:
            return self.distribution
        if self.low is not None and self.high is not None and self.low < self.value < self.high:
            return "triangular"
        return "uniform"


def _fmt(v: float | None) -> str:
    return "unbounded" if v is None else f"{v:g}"
