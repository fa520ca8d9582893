"""Expansion goal -> project: counts scale with the goal, precedence is acyclic and local."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.assumptions import load_assumptions
from terawatt.errors import UserError
from terawatt.fleet.expand import expand, load_recipe, load_template, plant_size, templates_index
from terawatt.fleet.goal import Fleet, Goal

REG = load_assumptions("seed")
START = dt.date(2027, 1, 1)


def goal(product="solar_module", rate=1000.0, **kw):
    return Goal(product=product, rate_per_day=rate, start=START, **kw)


def test_four_templates_with_sourced_figures():
    ids = {t["product"] for t in templates_index()}
    assert {"solar_module", "compute_satellite", "humanoid_robot", "chip_packaging"} <= ids
    for pid in ids:
        t = load_template(pid)
        for a in t.figures.values():
            assert a.source.title and a.source.publisher
            assert a.low is not None or "[U" not in a.note  # ranged or a firm figure


def test_lines_cover_the_rate():
    t = load_template("solar_module")
    per = t.figures["line_output"].value
    lines, blds = plant_size(goal(rate=per * 3 + 1), t)
    assert lines == 4 and blds == 1


@pytest.mark.parametrize("product", ["solar_module", "compute_satellite", "humanoid_robot",
                                     "chip_packaging"])
def test_small_factory_structure(product):
    p = expand(goal(product, rate=1.0), REG)
    rec = load_recipe()
    tpl = load_template(product)
    upl = sum(s.units_per_line for s in tpl.steps)
    cpl = -(-int(tpl.figures["line_floor_area"].value) // 500)
    per_scope = {"site": 1, "building": 1, "bay": 1, "cell": cpl, "equipment": upl}
    assert p.n == sum(per_scope[k.scope] for k in rec.kinds)
    assert np.all(p.work_rh > 0)
    assert np.all((p.crew_min >= 1) & (p.crew_min <= p.crew_max))
    # all six phases appear, in recipe order along the precedence arcs
    assert set(p.phase.tolist()) == set(range(6))
    assert np.all(p.phase[p.pred] <= p.phase[p.succ])


def test_scales_linearly_with_lines():
    a = expand(goal(rate=1.0), REG)
    b = expand(goal(rate=a.template.figures["line_output"].value * 8), REG)
    assert b.n_lines == 8 and b.n_buildings == 2
    per_line = (b.n - a.n) / 7
    assert per_line > 50
    # work grows with the plant: 8 lines do more than 7x the work of 1
    assert b.work_rh.sum() > 7 * a.work_rh.sum()


def test_precedence_stays_inside_a_building():
    p = expand(goal(rate=2300 * 9), REG)
    bs, bd = p.building[p.pred], p.building[p.succ]
    m = (bs >= 0) & (bd >= 0)
    assert np.all(bs[m] == bd[m])


def test_lower_skill_means_more_work():
    a = expand(goal(), REG)
    b = expand(goal(fleet=Fleet(skills={"earthworks": 1})), REG)
    t = list(a.tasks).index("earthworks")
    assert np.all(b.work_rh[a.task == t] > a.work_rh[a.task == t])
    assert np.allclose(b.work_rh[a.task != t], a.work_rh[a.task != t])


def test_missing_skill_refused():
    with pytest.raises(UserError, match="fleet.skills.electrical"):
        expand(goal(fleet=Fleet(skills={"electrical": 0})), REG)


def test_unknown_equipment_refused():
    with pytest.raises(UserError, match="equipment.bulldozer"):
        expand(goal(equipment={"bulldozer": 2}), REG)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["solar_module", "humanoid_robot", "chip_packaging"]),
       st.floats(min_value=0.1, max_value=5e4))
def test_arcs_acyclic_and_in_range(product, rate):
    """Every arc goes forward in the recipe's topological order (so no cycle)."""
    p = expand(goal(product, rate=rate), REG)
    assert p.pred.min() >= 0 and p.succ.max() < p.n
    assert np.all(p.kind[p.pred] < p.kind[p.succ]) or np.all(p.pred != p.succ)
    # recipe kinds are listed in topological order
    assert np.all(p.kind[p.pred] < p.kind[p.succ])
