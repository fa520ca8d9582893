"""Goal parsing: the one-line grammar, TOML goal files, and one-line refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.errors import UserError
from terawatt.fleet.goal import ACCEPTED_FORM, goal_from_mapping, load_goal, parse_line

TODAY = dt.date(2026, 12, 1)


def test_issue_example_parses():
    g = parse_line("build a factory making 1000 solar modules per day with 5000 robots "
                   "by 2027-06-01", TODAY)
    assert g.product == "solar_module"
    assert g.rate_per_day == 1000
    assert g.fleet.count == 5000
    assert g.deadline == dt.date(2027, 6, 1)
    assert g.start == TODAY


@pytest.mark.parametrize(("text", "product", "rate"), [
    ("build a factory making 2.5k humanoid robots per week with auto robots", "humanoid_robot",
     2500 / 7),
    ("plan a plant producing 1,200 chip packages per day", "chip_packaging", 1200),
    ("Build a fab making 3 compute satellites a day with 800 robots starting 2027-01-01",
     "compute_satellite", 3),
    ("build a factory making 1M solar panels per year with 10000 robots.", "solar_module",
     1e6 / 365.25),
])
def test_variants(text, product, rate):
    g = parse_line(text, TODAY)
    assert g.product == product
    assert g.rate_per_day == pytest.approx(rate)


def test_auto_robots_is_none():
    assert parse_line("build a factory making 10 humanoids per day with auto robots",
                      TODAY).fleet.count is None


@pytest.mark.parametrize("text", [
    "make me a factory", "build a factory making solar modules per day",
    "build a factory making 1000 solar modules per fortnight",
    "build a factory making 1000 solar modules per day with many robots",
    "build a factory making 1000 solar modules per day by June",
])
def test_unparseable_shows_accepted_form(text):
    with pytest.raises(UserError) as exc:
        parse_line(text, TODAY)
    assert ACCEPTED_FORM in str(exc.value)
    assert "\n" not in str(exc.value)


def test_unknown_product_lists_known():
    with pytest.raises(UserError, match="unknown product 'toasters'.*solar_module"):
        parse_line("build a factory making 10 toasters per day with 5 robots", TODAY)


def test_zero_robots_refused():
    with pytest.raises(UserError, match="zero robots"):
        parse_line("build a factory making 10 solar modules per day with 0 robots", TODAY)


def test_deadline_before_start_refused():
    with pytest.raises(UserError, match="deadline"):
        parse_line("build a factory making 10 solar modules per day by 2026-01-01", TODAY)


def test_toml_goal(tmp_path):
    f = tmp_path / "goal.toml"
    f.write_text("""
product = "humanoid robot"
rate_per_day = 200
start = "2027-01-04"
deadline = "2028-01-01"
budget_usd = 2e9
site = { name = "Austin", location = "TX" }
equipment = { crane = 3 }
[fleet]
count = 1200
walk_speed_m_s = 1.5
battery_kwh = 2.3
charge_kw = 5
skills = { default = 2, commissioning = 3, steel = 3 }
""")
    g = load_goal(str(f), TODAY)
    assert g.product == "humanoid_robot" and g.fleet.count == 1200
    assert g.fleet.level("steel") == 3 and g.fleet.level("concrete") == 2
    assert g.equipment == {"crane": 3} and g.site == "Austin"
    assert g.start == dt.date(2027, 1, 4)


def test_toml_goal_unknown_key(tmp_path):
    f = tmp_path / "goal.toml"
    f.write_text('product = "solar module"\nrate_per_day = 5\ncolour = "red"\n')
    with pytest.raises(UserError, match=r"goal.toml: key 'colour': unknown field"):
        load_goal(str(f), TODAY)


def test_toml_goal_bad_skill():
    with pytest.raises(UserError, match="fleet.skills.steel"):
        goal_from_mapping({"product": "solar module", "rate_per_day": 5,
                           "fleet": {"skills": {"steel": 7}}}, "g.toml", TODAY)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_never_crashes(text):
    """Any text either parses or is refused with a one-line UserError."""
    try:
        g = parse_line(text, TODAY)
    except UserError as exc:
        assert "\n" not in str(exc)
    else:
        assert g.rate_per_day > 0
