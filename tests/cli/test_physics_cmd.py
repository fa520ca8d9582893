"""`terawatt physics`: exit codes, JSON fields, --set, and one-line errors for bad input."""

from __future__ import annotations

import json

import pytest

SECTIONS = ("orbit", "radiator", "satellite", "launch", "datacenter")
FIELDS = {
    "orbit": ("configured", "reference_shell", "sso_inclination_deg_at_configured_altitude"),
    "radiator": ("net_flux_w_per_m2", "emitted_flux_w_per_m2", "absorbed_flux_w_per_m2",
                 "area_m2_per_mw_heat", "mass_kg_per_mw_heat", "temperature_k"),
    "satellite": ("specific_power_w_per_kg", "mass_per_mw_kg", "total_mass_kg", "mass_kg",
                  "array_area_m2", "radiator_area_m2", "compute_power_w"),
    "launch": ("payload_per_flight_kg", "launches_per_year", "mass_to_orbit_kg_per_yr",
               "compute_per_launch_w", "compute_launched_w_per_yr"),
    "datacenter": ("gpu_tdp_w", "rack_it_power_w", "facility_power_per_accelerator_w",
                   "clusters"),
}


@pytest.fixture(autouse=True, scope="module")
def _cache_dir(tmp_path_factory):
    """Keep the ground-site cache of this module in a temporary folder."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TERAWATT_CACHE_DIR", str(tmp_path_factory.mktemp("twcache")))
    yield
    mp.undo()


def _json(cli, *args: str) -> dict:
    r = cli("physics", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_table_output(cli):
    r = cli("physics")
    assert r.exit_code == 0
    for word in ("Orbit", "Radiator", "Compute satellite", "Launch", "Terrestrial data center",
                 "W/kg", "110,000 GB300"):
        assert word in r.stdout


def test_json_fields(cli):
    s = _json(cli)
    assert s["scenario"] == "seed"
    for sec in SECTIONS:
        for f in FIELDS[sec]:
            assert f in s[sec], (sec, f)
    assert s["satellite"]["specific_power_w_per_kg"] > 0
    assert [c["n_accelerators"] for c in s["datacenter"]["clusters"]] == [110_000, 330_000]
    conf = s["orbit"]["configured"]
    assert 0.0 <= conf["mean_sunlit_fraction"] <= 1.0


def test_set_payload_changes_launch_mass(cli):
    """The issue's example: --set launch.payload_per_flight=150t (seed flies 100 t)."""
    a = _json(cli)["launch"]["mass_to_orbit_kg_per_yr"]
    b = _json(cli, "--set", "launch.payload_per_flight=150t")
    assert b["launch"]["payload_per_flight_kg"] == 150_000
    assert b["launch"]["mass_to_orbit_kg_per_yr"] == pytest.approx(1.5 * a)
    assert b["overrides"] == ["launch.payload_per_flight"]


def test_scenarios_differ(cli):
    base = _json(cli, "--scenario", "baseline")["launch"]["launches_per_year"]
    seed = _json(cli, "--scenario", "seed")["launch"]["launches_per_year"]
    assert seed > base


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--set", "launch.payload_per_fligth=150t"], "launch.payload_per_flight"),
        (["--set", "launch.payload_per_flight=150 W"], "wrong dimension"),
        (["--set", "thermal.emissivity=1.5"], "outside the allowed range"),
        (["--scenario", "nosuchscenario"], "unknown scenario"),
    ],
)
def test_bad_input_one_line_exit_2(cli, args, needle):
    r = cli("physics", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_malformed_scenario_toml_names_line(cli, tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text('name = "bad"\n[set]\n"launch.payload_per_flight" = = 3\n')
    r = cli("physics", "--scenario", str(f))
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert "\n" not in line and "bad.toml:3" in line


def test_solar_sections_when_solar_present(cli):
    """AM1.5G from ASTM G173 is ~1000 W/m2 (IEC 60904-3 rating irradiance); every shipped
    ground site gets an orbit/ground ratio above 1 (Suncatcher: up to 8x per panel)."""
    pytest.importorskip("terawatt.physics.solar")
    s = _json(cli)
    assert abs(s["solar"]["am15g_irradiance_w_per_m2"] - 1000.0) < 15.0
    rows = s["solar_orbit_vs_ground"]
    assert rows and all(r["ratio_per_m2"] > 1.0 for r in rows)


def test_ground_site_cache_is_transparent(cli, tmp_path, monkeypatch):
    """A cached run equals a fresh one; a corrupt cache entry is recomputed, not trusted."""
    pytest.importorskip("terawatt.physics.solar")
    monkeypatch.setenv("TERAWATT_CACHE_DIR", str(tmp_path))
    first = _json(cli)
    files = sorted(tmp_path.glob("ground-*.json"))
    assert files
    files[0].write_text("{not json")
    assert _json(cli) == first
