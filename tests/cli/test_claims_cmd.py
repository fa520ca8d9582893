"""`terawatt claims` and `terawatt costs`: output, JSON fields, one-line errors with exit 2."""

from __future__ import annotations

import json

from terawatt.audit.claims import VERDICTS

EXPECTED_FIELDS = {
    "id",
    "verdict",
    "claimed_value",
    "model_value",
    "unit",
    "assumption",
    "break_even",
    "explanation",
    "sources",
}


def test_claims_json_lists_every_claim_with_the_documented_fields(cli):
    r = cli("claims", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [d["id"] for d in data] == [f"C{i:02d}" for i in range(1, 26)]
    for d in data:
        assert EXPECTED_FIELDS <= set(d)
        assert d["verdict"] in VERDICTS
        assert d["sources"]


def test_claims_table_and_set_change_a_verdict(cli):
    r = cli("claims", "--id", "C07")
    assert r.exit_code == 0
    assert "C07" in r.stdout and "consistent" in r.stdout
    r = cli(
        "claims",
        "--json",
        "--id",
        "C07",
        "--set",
        "reference.us_electricity_consumption=6000 TW*h/yr",
    )
    (d,) = json.loads(r.stdout)
    assert d["verdict"] == "inconsistent"


def test_claims_file_with_missing_field_exits_2(cli, tmp_path):
    f = tmp_path / "claims.toml"
    f.write_text(
        '[[claim]]\nid = "X1"\ntext = "t"\nsection = "1"\nsubsystem = "s"\n'
        'relation = "approx"\nsources = ["s"]\n'
    )
    r = cli("claims", "--file", str(f))
    assert r.exit_code == 2
    assert r.stdout == ""
    line = r.stderr.strip()
    assert "\n" not in line and "claims.toml" in line and "'quantity'" in line


def test_claims_file_with_unknown_quantity_exits_2(cli, tmp_path):
    f = tmp_path / "claims.toml"
    f.write_text(
        '[[claim]]\nid = "X1"\ntext = "t"\nsection = "1"\nsubsystem = "s"\n'
        'quantity = "warp_drive"\nrelation = "approx"\nsources = ["s"]\n'
    )
    r = cli("claims", "--file", str(f))
    assert r.exit_code == 2
    assert "warp_drive" in r.stderr and "claims.toml" in r.stderr


def test_claims_break_even_on_unknown_assumption_exits_2(cli, tmp_path):
    f = tmp_path / "claims.toml"
    f.write_text(
        '[[claim]]\nid = "X1"\ntext = "t"\nsection = "1"\nsubsystem = "s"\n'
        'quantity = "us_electricity_average_tw"\nrelation = "approx"\nclaimed = 1\n'
        'unit = "TW"\nsources = ["s"]\nbreak_even = [{ assumption = "reference.nope" }]\n'
    )
    r = cli("claims", "--file", str(f))
    assert r.exit_code == 2
    assert "reference.nope" in r.stderr


def test_cost_file_missing_source_or_unknown_key_exits_2(cli, tmp_path):
    f = tmp_path / "costs.toml"
    f.write_text('[costs.orbit.bus]\nvalue = 5\nunit = "USD/W"\n')
    for cmd in ("claims", "costs"):
        r = cli(cmd, "--costs", str(f))
        assert r.exit_code == 2
        assert "costs.toml" in r.stderr and "costs.orbit.bus" in r.stderr and "source" in r.stderr
    f.write_text(
        '[costs.orbit.buss]\nvalue = 5\nunit = "USD/W"\n'
        'source = { title = "t", publisher = "p", year = 2025 }\n'
    )
    r = cli("costs", "--costs", str(f))
    assert r.exit_code == 2
    assert "costs.orbit.buss" in r.stderr and "did you mean 'costs.orbit.bus'" in r.stderr


def test_cost_file_overrides_a_cost(cli, tmp_path):
    f = tmp_path / "costs.toml"
    f.write_text(
        '[costs.orbit.bus]\nvalue = 50\nunit = "USD/W"\n'
        'source = { title = "t", publisher = "p", year = 2025 }\n'
    )
    a = json.loads(cli("costs", "--json").stdout)
    b = json.loads(cli("costs", "--json", "--costs", str(f)).stdout)
    assert b["path"][0]["orbit_usd_per_w_yr"] > a["path"][0]["orbit_usd_per_w_yr"]
    assert b["path"][0]["ground_usd_per_w_yr"] == a["path"][0]["ground_usd_per_w_yr"]


def test_costs_command_prints_path_break_evens_and_tornado(cli):
    r = cli("costs")
    assert r.exit_code == 0, r.stderr
    assert "orbit USD/Mtok" in r.stdout and "Break-even" in r.stdout and "Tornado" in r.stdout
    d = json.loads(cli("costs", "--json", "--top", "3").stdout)
    assert len(d["tornado"]["rows"]) == 3
    assert {b["driver"] for b in d["break_evens"]} == {
        "launch_usd_per_kg",
        "satellite_usd_per_w",
        "specific_power_w_per_kg",
    }


def test_costs_monte_carlo_option(cli):
    d = json.loads(cli("costs", "--json", "--top", "1", "--samples", "200", "--seed", "3").stdout)
    mc = d["monte_carlo"]
    assert mc["samples"] == 200 and 0.0 <= mc["p_orbit_cheaper"] <= 1.0
    r = cli("costs", "--samples", "-5")
    assert r.exit_code == 2 and "--samples" in r.stderr
