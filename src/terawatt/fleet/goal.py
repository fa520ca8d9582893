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
SKILL_LEVELS = (0, 1, 2, 3)


@dataclass(frozen=True, slots=True)
class Fleet:
    """The robot fleet the user hires.

    ``count`` is None for ``--robots auto``. ``skills`` maps task type -> level 0-3 (0: cannot,
    3: expert); task types not listed take ``default_level``. ``walk_speed_m_s``,
    ``battery_kwh`` and ``charge_kw`` override the assumptions ``fleet.robot.*`` when set.
    """

    count: int | None = None
    skills: Mapping[str, int] = field(default_factory=dict)
    default_level: int = 3
    walk_speed_m_s: float | None = None
    battery_kwh: float | None = None
    charge_kw: float | None = None

    def __post_init__(self) -> None:
        if self.count is not None and self.count <= 0:
            raise UserError(f"goal: key 'fleet.count': value {self.count} robots; "
                            "allowed: a whole number >= 1 (or 'auto')")
        for task, lvl in self.skills.items():
            if lvl not in SKILL_LEVELS:
                raise UserError(f"goal: key 'fleet.skills.{task}': value {lvl!r}; "
                                "allowed: a skill level 0, 1, 2 or 3")
        for name in ("walk_speed_m_s", "battery_kwh", "charge_kw"):
            v = getattr(self, name)
            if v is not None and not v > 0:
                raise UserError(f"goal: key 'fleet.{name}': value {v!r}; allowed: a number > 0")

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

    def __post_init__(self) -> None:
        if not self.rate_per_day > 0:
            raise UserError(f"goal: key 'rate_per_day': value {self.rate_per_day!r}; "
                            "allowed: a number > 0")
        if self.deadline is not None and self.deadline <= self.start:
            raise UserError(f"goal: key 'deadline': value {self.deadline}; allowed: a date after "
                            f"the start {self.start}")
        for kind, n in self.equipment.items():
            if not isinstance(n, int) or n < 0:
                raise UserError(f"goal: key 'equipment.{kind}': value {n!r}; "
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


def _robots(text: str | int | None, where: str) -> int | None:
    if text is None or (isinstance(text, str) and text.strip().lower() == "auto"):
        return None
    try:
        n = int(str(text).replace(",", "").replace("_", ""))
    except ValueError:
        raise UserError(f"{where}: key 'robots': value {text!r}; allowed: a whole number >= 1 "
                        "or 'auto'") from None
    if n <= 0:
        raise UserError(f"{where}: key 'robots': value {n}; allowed: a whole number >= 1 or 'auto'"
                        " (a fleet of zero robots builds nothing)")
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


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str, prefix: str) -> None:
    for k in table:
        if k not in allowed:
            raise UserError(f"{where}: key '{prefix}{k}': unknown field; allowed: "
                            f"{', '.join(sorted(allowed))}")


def goal_from_mapping(data: Mapping[str, Any], where: str,
                      today: _dt.date | None = None) -> Goal:
    """Build a :class:`Goal` from the parsed TOML goal file ``data`` (``where`` names the file)."""
    _check_keys(data, _GOAL_KEYS, where, "")
    for key in ("product", "rate_per_day"):
        if key not in data:
            raise UserError(f"{where}: key '{key}' is missing; required: product, rate_per_day")
    rate = data["rate_per_day"]
    if isinstance(rate, bool) or not isinstance(rate, int | float):
        raise UserError(f"{where}: key 'rate_per_day': value {rate!r}; allowed: a number > 0")
    fl = data.get("fleet", {})
    _check_keys(fl, _FLEET_KEYS, where, "fleet.")
    skills = dict(fl.get("skills", {}))
    default_level = int(skills.pop("default", 3)) if "default" in skills else 3
    site = data.get("site", {})
    if isinstance(site, Mapping):
        _check_keys(site, _SITE_KEYS, where, "site.")
        site_name = str(site.get("name", "site"))
    else:
        site_name = str(site)
    try:
        fleet = Fleet(count=_robots(fl.get("count"), where), skills=skills,
                      default_level=default_level, walk_speed_m_s=fl.get("walk_speed_m_s"),
                      battery_kwh=fl.get("battery_kwh"), charge_kw=fl.get("charge_kw"))
        return Goal(
            product=resolve_product(str(data["product"]), where),
            rate_per_day=float(rate),
            start=_date(data["start"], "start", where) if "start" in data
            else (today or _dt.datetime.now(_dt.UTC).date()),
            deadline=_date(data["deadline"], "deadline", where) if "deadline" in data else None,
            fleet=fleet,
            site=site_name,
            equipment=dict(data.get("equipment", {})),
            budget_usd=float(data["budget_usd"]) if "budget_usd" in data else None,
            text=str(data.get("name", "")),
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
