"""What the user wants built: a :class:`Goal`, from a TOML goal file or a one-line sentence.

The one-line form is parsed locally with a small regular grammar (no network, no language
model)::

    build a factory making 1000 solar modules per day with 5000 robots by 2027-06-01

Accepted shape (``[...]`` optional, ``|`` alternatives)::

    (build|plan) [a|an] (factory|plant|fab) (making|producing|for) RATE PRODUCT
        per (hour|day|week|month|year) [with (N|auto) robots] [by YYYY-MM-DD]
        [starting YYYY-MM-DD]

``RATE`` may carry thousands separators or a k/M suffix (``1,000``, ``2.5k``, ``1M``);
``PRODUCT`` must name a packaged template (see :func:`terawatt.fleet.templates_index`).
Anything else is refused with this accepted form in the message.

A TOML goal file holds the same fields plus the fleet's skills, speed, battery and charging,
shared equipment and a budget (see ``docs/fleet.md``).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from terawatt.constants import DAYS_PER_JULIAN_YEAR
from terawatt.errors import UserError

ACCEPTED_FORM = ("build a factory making <RATE> <PRODUCT> per <day|week|month|year|hour> "
                 "[with <N|auto> robots] [by YYYY-MM-DD] [starting YYYY-MM-DD]")
EXAMPLE = "build a factory making 1000 solar modules per day with 5000 robots by 2027-06-01"

_PER_DAY = {"hour": 24.0, "day": 1.0, "week": 1 / 7, "month": 12 / DAYS_PER_JULIAN_YEAR,
            "year": 1 / DAYS_PER_JULIAN_YEAR}
_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6}

_LINE = re.compile(
    r"^\s*(?:build|plan)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:factory|plant|fab)\s+"
    r"(?:making|producing|for|that\s+makes)\s+"
    r"(?P<rate>\d[\d,_]*(?:\.\d+)?)\s*(?P<suffix>[kKmM]?)\s+"
    r"(?P<product>[A-Za-z][A-Za-z0-9 \-]*?)\s+"
    r"(?:per|a|an|each|every|/)\s*(?P<per>hour|day|week|month|year)"
    r"(?:\s+with\s+(?P<robots>\d[\d,_]*|auto)\s+(?:humanoid\s+)?robots?)?"
    r"(?:\s+by\s+(?P<deadline>\d{4}-\d{2}-\d{2}))?"
    r"(?:\s+(?:starting|from)\s+(?P<start>\d{4}-\d{2}-\d{2}))?"
    r"\s*\.?\s*$",
    re.IGNORECASE,
)

_GOAL_KEYS = {"product", "rate_per_day", "deadline", "start", "site", "fleet", "equipment",
              "budget_usd", "name"}
_FLEET_KEYS = {"count", "skills", "walk_speed_m_s", "battery_kwh", "charge_kw"}
_SITE_KEYS = {"name", "location"}
# Skill levels: 0 cannot do the task, 1 and 2 work at ``fleet.skill.level{1,2}_efficiency`` of an
# expert's speed (assumptions), 3 is the expert (see expand.skill_efficiency).
SKILL_LEVELS = (0, 1, 2, 3)
_LEVELS_TEXT = "a whole-number skill level 0, 1, 2 or 3"
_POSITIVE = "a finite number > 0"
_BUDGET = "a finite number >= 0 (US dollars)"
_RATE = "a finite number > 0 (units per day)"
# Largest fleet a goal may hire [robot]: robot ids are int32 and the assignment keeps per-robot
# arrays; the engine is benchmarked at 30,000 robots (benchmarks/bench_fleet.py) and a
# 1,000,000-robot plan of a small factory was checked to run (docs/fleet.md, "Size limits"). To
# move to the registry as ``fleet.limits.max_robots``.
MAX_ROBOTS = 1_000_000


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _finite(v: Any) -> bool:
    """A finite number (an int too large for a float is not)."""
    try:
        return _is_number(v) and math.isfinite(v)
    except OverflowError:
        return False


def _show(v: Any) -> str:
    """``repr(v)`` cut to 40 characters for a one-line message."""
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_level(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v in SKILL_LEVELS


def task_types() -> tuple[str, ...]:
    """The task types of the shared construction recipe (keys of a fleet's ``skills``)."""
    from terawatt.fleet.expand import load_recipe

    return load_recipe().tasks


@dataclass(frozen=True, slots=True)
class Fleet:
    """The robot fleet the user hires.

    ``count`` is None for ``--robots auto``. ``skills`` maps task type -> level 0-3 (0: cannot,
    3: expert); task types not listed take ``default_level``. ``walk_speed_m_s``,
    ``battery_kwh`` and ``charge_kw`` override the assumptions ``fleet.robot.*`` when set.
    ``time_multiplier`` maps task type -> measured time relative to an expert (level 3) [-], as
    written by the training centre (:mod:`terawatt.fleet.training`); where set it replaces the
    level's ``1 / fleet.skill.level*_efficiency`` in the work content (the level still decides
    whether the robots may do the task type at all).
    """

    count: int | None = None
    skills: Mapping[str, int] = field(default_factory=dict)
    default_level: int = 3
    walk_speed_m_s: float | None = None
    battery_kwh: float | None = None
    charge_kw: float | None = None
    time_multiplier: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.count is not None and (not isinstance(self.count, int) or
                                       isinstance(self.count, bool) or
                                       not 1 <= self.count <= MAX_ROBOTS):
            raise UserError(f"goal: key 'fleet.count': value {_show(self.count)} robots; "
                            f"allowed: a whole number 1..{MAX_ROBOTS:,} (or 'auto')")
        if not _is_level(self.default_level):
            raise UserError(f"goal: key 'fleet.skills.default': value {_show(self.default_level)}; "
                            f"allowed: {_LEVELS_TEXT}")
        tasks = task_types() if self.skills else ()
        for task, lvl in self.skills.items():
            if task not in tasks:
                raise UserError(f"goal: key 'fleet.skills.{task}': unknown task type; allowed: "
                                f"default, {', '.join(tasks)}")
            if not _is_level(lvl):
                raise UserError(f"goal: key 'fleet.skills.{task}': value {_show(lvl)}; "
                                f"allowed: {_LEVELS_TEXT}")
        for task, m in self.time_multiplier.items():
            if task not in task_types():
                raise UserError(f"skills: key 'skills.{task}': unknown task type; allowed: "
                                f"{', '.join(task_types())}")
            if not (_finite(m) and m > 0):
                raise UserError(f"skills: key 'skills.{task}.time_multiplier': value {_show(m)}; "
                                f"allowed: {_POSITIVE}")
        for name in ("walk_speed_m_s", "battery_kwh", "charge_kw"):
            v = getattr(self, name)
            if v is not None and not (_finite(v) and v > 0):
                raise UserError(f"goal: key 'fleet.{name}': value {_show(v)}; allowed: {_POSITIVE}")

    def level(self, task: str) -> int:
        return int(self.skills.get(task, self.default_level))


@dataclass(frozen=True, slots=True)
class Goal:
    """A factory to build: ``rate_per_day`` units of ``product`` per day [1/day].

    ``start`` is the construction start date, ``deadline`` the date it must be producing by
    (None: as soon as possible). ``equipment`` overrides the template's shared construction
    equipment counts (kind -> count). ``budget_usd`` is compared with the plan's cost estimate.
    """

    product: str
    rate_per_day: float
    start: _dt.date
    fleet: Fleet = field(default_factory=Fleet)
    deadline: _dt.date | None = None
    site: str = "site"
    equipment: Mapping[str, int] = field(default_factory=dict)
    budget_usd: float | None = None
    text: str = ""
    source: str = "goal"  # where the goal came from (the goal file), named in refusals

    def __post_init__(self) -> None:
        r = self.rate_per_day
        if not (_finite(r) and r > 0):
            raise UserError(f"{self.source}: key 'rate_per_day': value {_show(r)}; "
                            f"allowed: {_RATE}")
        b = self.budget_usd
        if b is not None and not (_finite(b) and b >= 0):
            raise UserError(f"{self.source}: key 'budget_usd': value {_show(b)}; "
                            f"allowed: {_BUDGET}")
        if self.deadline is not None and self.deadline <= self.start:
            raise UserError(f"{self.source}: key 'deadline': value {self.deadline}; allowed: a "
                            f"date after the start {self.start}")
        for kind, n in self.equipment.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise UserError(f"{self.source}: key 'equipment.{kind}': value {_show(n)}; "
                                "allowed: a whole number >= 0")

    def with_robots(self, count: int | None) -> Goal:
        return replace(self, fleet=replace(self.fleet, count=count))

    def describe(self) -> str:
        robots = "auto" if self.fleet.count is None else f"{self.fleet.count:,}"
        by = f" by {self.deadline}" if self.deadline else ""
        return (f"{self.rate_per_day:,.6g} {self.product} per day with {robots} robots"
                f" starting {self.start}{by}")


# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def product_aliases() -> dict[str, str]:
    """Every accepted product phrase (lower case) -> template id, from the packaged templates."""
    out: dict[str, str] = {}
    folder = resources.files("terawatt.fleet") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = entry.name
        if not name.endswith(".toml") or name.startswith("_"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        pid = data["product"]
        for phrase in [pid, pid.replace("_", " "), *data.get("aliases", [])]:
            p = " ".join(phrase.lower().split())
            out[p] = pid
            out[p + "s"] = pid
            if p.endswith("y"):
                out[p[:-1] + "ies"] = pid
    return out


def resolve_product(phrase: str, where: str = "goal") -> str:
    p = " ".join(phrase.lower().replace("-", " ").split())
    aliases = product_aliases()
    for cand in (p, p.replace(" ", "_")):
        if cand in aliases:
            return aliases[cand]
    known = sorted(set(aliases.values()))
    raise UserError(f"{where}: unknown product {phrase!r}; allowed: {', '.join(known)}")


def _date(text: str, key: str, where: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(str(text))
    except ValueError:
        raise UserError(f"{where}: key '{key}': value {text!r}; "
                        "allowed: a date YYYY-MM-DD") from None


def _robots(text: Any, where: str, key: str = "robots") -> int | None:
    if text is None or (isinstance(text, str) and text.strip().lower() == "auto"):
        return None
    if isinstance(text, bool | float) or not isinstance(text, int | str):
        n = None
    else:
        try:
            n = int(str(text).replace(",", "").replace("_", ""))
        except ValueError:
            n = None
    if n is None:
        raise UserError(f"{where}: key '{key}': value {_show(text)}; allowed: a whole number >= 1 "
                        "or 'auto'")
    if n <= 0:
        raise UserError(f"{where}: key '{key}': value {n}; allowed: a whole number >= 1 or 'auto'"
                        " (a fleet of zero robots builds nothing)")
    if n > MAX_ROBOTS:
        shown = f"{n:,}" if n < 10**30 else _show(n)
        raise UserError(f"{where}: key '{key}': value {shown} robots; allowed: at most "
                        f"{MAX_ROBOTS:,} robots (or 'auto')")
    return n


def parse_robots(text: str | None) -> int | None | str:
    """CLI ``--robots``: None (take the goal's), ``"auto"``, or a positive count."""
    if text is None:
        return None
    if text.strip().lower() == "auto":
        return "auto"
    n = _robots(text, "--robots")
    assert n is not None
    return n


def parse_line(text: str, today: _dt.date | None = None) -> Goal:
    """Parse the one-line goal; refuse anything else with the accepted form in the message."""
    m = _LINE.match(text)
    if m is None:
        raise UserError(f"cannot parse goal {text.strip()!r}; accepted form: {ACCEPTED_FORM} "
                        f"(e.g. {EXAMPLE!r})")
    rate = float(m["rate"].replace(",", "").replace("_", "")) * _SUFFIX[m["suffix"].lower()]
    rate_per_day = rate * _PER_DAY[m["per"].lower()]
    product = resolve_product(m["product"])
    where = "goal"
    start = _date(m["start"], "start", where) if m["start"] else (
        today or _dt.datetime.now(_dt.UTC).date())
    deadline = _date(m["deadline"], "deadline", where) if m["deadline"] else None
    return Goal(product=product, rate_per_day=rate_per_day, start=start, deadline=deadline,
                fleet=Fleet(count=_robots(m["robots"], where)), text=" ".join(text.split()))


def _check_keys(table: Any, allowed: set[str], where: str, prefix: str,
                what: str = "field") -> None:
    """``table`` is a TOML table whose keys are all in ``allowed`` (``what`` names them)."""
    if not isinstance(table, Mapping):
        raise UserError(f"{where}: key '{prefix.rstrip('.')}': value {_show(table)}; allowed: a "
                        f"table with keys {', '.join(sorted(allowed))}")
    for k in table:
        if k not in allowed:
            raise UserError(f"{where}: key '{prefix}{k}': unknown {what}; allowed: "
                            f"{', '.join(sorted(allowed))}")


def _number(data: Mapping[str, Any], key: str, where: str, allowed: str,
            prefix: str = "") -> float | None:
    """``data[key]`` as a float (None when absent); anything but an int or float is refused
    (the range is checked by :class:`Goal` and :class:`Fleet`; an int too large for a float
    becomes inf and is refused there)."""
    if key not in data:
        return None
    v = data[key]
    if not _is_number(v):
        raise UserError(f"{where}: key '{prefix}{key}': value {_show(v)}; allowed: {allowed}")
    return _float(v)


def _float(v: int | float) -> float:
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def _text(data: Mapping[str, Any], key: str, where: str, default: str, prefix: str = "") -> str:
    v = data.get(key, default)
    if not isinstance(v, str):
        raise UserError(f"{where}: key '{prefix}{key}': value {_show(v)}; allowed: a string")
    return v


def goal_from_mapping(data: Mapping[str, Any], where: str,
                      today: _dt.date | None = None) -> Goal:
    """Build a :class:`Goal` from the parsed TOML goal file ``data`` (``where`` names the file).

    Every key is checked like a pydantic model with ``extra="forbid"``: unknown keys, wrong
    types, non-finite numbers, unknown task types or equipment and skill levels outside 0-3 are
    refused with the file, the key, the value and what is allowed."""
    from terawatt.fleet.expand import load_recipe

    recipe = load_recipe()
    _check_keys(data, _GOAL_KEYS, where, "")
    for key in ("product", "rate_per_day"):
        if key not in data:
            raise UserError(f"{where}: key '{key}' is missing; required: product, rate_per_day")
    rate = data["rate_per_day"]
    if not _is_number(rate):
        raise UserError(f"{where}: key 'rate_per_day': value {_show(rate)}; allowed: {_RATE}")
    fl = data.get("fleet", {})
    _check_keys(fl, _FLEET_KEYS, where, "fleet.")
    skills = fl.get("skills", {})
    _check_keys(skills, {"default", *recipe.tasks}, where, "fleet.skills.", "task type")
    skills = dict(skills)
    default_level = skills.pop("default", 3)
    site = data.get("site", {})
    if isinstance(site, Mapping):
        _check_keys(site, _SITE_KEYS, where, "site.")
        site_name = _text(site, "name", where, "site", "site.")
        _text(site, "location", where, "", "site.")
    elif isinstance(site, str):
        site_name = site
    else:
        raise UserError(f"{where}: key 'site': value {_show(site)}; allowed: a string or a table "
                        f"with keys {', '.join(sorted(_SITE_KEYS))}")
    equipment = data.get("equipment", {})
    _check_keys(equipment, set(recipe.equipment_per_building), where, "equipment.", "equipment")
    try:
        fleet = Fleet(count=_robots(fl.get("count"), where, "fleet.count"), skills=skills,
                      default_level=default_level,
                      walk_speed_m_s=_number(fl, "walk_speed_m_s", where, _POSITIVE, "fleet."),
                      battery_kwh=_number(fl, "battery_kwh", where, _POSITIVE, "fleet."),
                      charge_kw=_number(fl, "charge_kw", where, _POSITIVE, "fleet."))
        return Goal(
            product=resolve_product(_text(data, "product", where, ""), where),
            rate_per_day=_float(rate),
            start=_date(data["start"], "start", where) if "start" in data
            else (today or _dt.datetime.now(_dt.UTC).date()),
            deadline=_date(data["deadline"], "deadline", where) if "deadline" in data else None,
            fleet=fleet,
            site=site_name,
            equipment=dict(equipment),
            budget_usd=_number(data, "budget_usd", where, _BUDGET),
            text=_text(data, "name", where, ""),
            source=where,
        )
    except UserError as exc:
        raise UserError(str(exc).replace("goal:", f"{where}:", 1)) from None


def load_goal(spec: str, today: _dt.date | None = None) -> Goal:
    """A goal from a ``.toml`` file path or from the one-line sentence ``spec``."""
    path = Path(spec)
    if spec.strip().lower().endswith(".toml"):
        from terawatt.assumptions.loader import read_toml
        return goal_from_mapping(read_toml(path), str(path), today)
    return parse_line(spec, today)
