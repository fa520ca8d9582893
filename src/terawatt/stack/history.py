"""Backtest of the stack model: observed 2020-2025 series vs the ``history`` scenario.

Observed series live in ``terawatt/stack/data/*.csv``, each with a citation header of
``# field: value`` lines (``series``, ``title``, ``unit``, ``model_series``, ``source``,
``note``) followed by ``year,value`` rows. :func:`backtest` runs (or takes) a stack result and
returns, per series and year, the model value, the observed value and the errors
(relative ``model / observed - 1`` and log ``ln(model / observed)``).

References
----------
.. [1] M. Herrington, "Update to limits to growth: comparing the World3 model with empirical
   data", J. Industrial Ecology 25(3), 2021. doi:10.1111/jiec.13084 (scoring a system-dynamics
   model against observed data).
.. [2] B. Nagy et al., PLOS ONE 8(2): e52669, 2013 (forecast errors grow with the horizon).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from terawatt.errors import UserError
from terawatt.stack.result import StackResult
from terawatt.units import convert

HISTORY_SCENARIO = "history"


@dataclass(frozen=True)
class ObservedSeries:
    """One observed series (values in ``unit``) and where it comes from."""

    name: str
    title: str
    unit: str
    model_series: str
    source: str
    note: str
    years: tuple[int, ...]
    values: tuple[float, ...]

    def si_values(self) -> np.ndarray:
        """Observed values in SI (``unit`` per year -> per second is undone: annual totals).

        Model per-year values of flows are annual sums, so a ``GW/yr`` observation compares
        with W produced in the year: the unit is converted with ``/yr`` dropped.
        """
        unit = self.unit.removesuffix("/yr").strip() or "dimensionless"
        base = {"launch": "launch", "GW": "W"}.get(unit, unit)
        return np.array([convert(v, unit, base) for v in self.values])


@dataclass(frozen=True)
class SeriesError:
    """Backtest of one series: per observed year, model and observed values and errors."""

    series: ObservedSeries
    years: tuple[int, ...]
    model_si: tuple[float, ...]
    observed_si: tuple[float, ...]

    @property
    def rel_error(self) -> np.ndarray:
        """``model / observed - 1`` per year [-]."""
        return np.asarray(self.model_si) / np.asarray(self.observed_si) - 1.0

    @property
    def log_error(self) -> np.ndarray:
        """``ln(model / observed)`` per year [-]."""
        return np.log(np.asarray(self.model_si) / np.asarray(self.observed_si))

    @property
    def rms_log_error(self) -> float:
        return float(np.sqrt(np.mean(self.log_error ** 2)))

    @property
    def max_abs_rel_error(self) -> float:
        return float(np.max(np.abs(self.rel_error)))

    def records(self) -> list[dict[str, float | int | str]]:
        f = 1.0 / float(self.series.si_values()[0] / self.series.values[0])
        return [{"series": self.series.name, "year": y, "unit": self.series.unit.removesuffix("/yr")
                 or self.series.unit, "model": m * f, "observed": o * f,
                 "rel_error": float(e)}
                for y, m, o, e in zip(self.years, self.model_si, self.observed_si,
                                      self.rel_error, strict=True)]


def _data_dir() -> Path:
    return Path(str(resources.files("terawatt.stack") / "data"))


def read_series(path: Path) -> ObservedSeries:
    """Parse one observed-series CSV (citation header + ``year,value`` rows)."""
    meta: dict[str, str] = {}
    years: list[int] = []
    values: list[float] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, val = line[1:].partition(":")
            meta[key.strip()] = val.strip()
            continue
        if line.startswith("year"):
            continue
        try:
            y, v = line.split(",")
            years.append(int(y))
            values.append(float(v))
        except ValueError:
            raise UserError(f"{path}:{i}: expected 'year,value', got {line!r}") from None
    missing = {"series", "title", "unit", "model_series", "source"} - set(meta)
    if missing:
        raise UserError(f"{path}: citation header lacks {', '.join(sorted(missing))}")
    return ObservedSeries(meta["series"], meta["title"], meta["unit"], meta["model_series"],
                          meta["source"], meta.get("note", ""), tuple(years), tuple(values))


@lru_cache(maxsize=1)
def observed_series() -> tuple[ObservedSeries, ...]:
    """Every packaged observed series."""
    return tuple(read_series(p) for p in sorted(_data_dir().glob("*.csv")))


def backtest(result: StackResult) -> list[SeriesError]:
    """Compare a (history-scenario) result with every observed series it covers."""
    out = []
    years = list(result.years)
    for s in observed_series():
        annual = result.annual_median(s.model_series)
        obs = s.si_values()
        ys, m, o = [], [], []
        for y, v in zip(s.years, obs, strict=True):
            if y in years:
                ys.append(y)
                m.append(float(annual[years.index(y)]))
                o.append(float(v))
        if ys:
            out.append(SeriesError(s, tuple(ys), tuple(m), tuple(o)))
    return out
