"""``terawatt physics``: solar, orbit, radiator, satellite budget, launch and terrestrial DC."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.physics.summary import physics_summary


def _g(v: float, digits: int = 4) -> str:
    """Four significant digits, thousands separators, never an exponent below 1e15."""
    if v == 0 or abs(v) >= 10 ** (digits - 1):
        return f"{v:,.0f}"
    return f"{v:,.{digits}g}"


def _table(title: str, rows: list[tuple[str, str, str]]) -> Table:
    t = Table(title=title, title_justify="left", show_header=True)
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_column("unit")
    for r in rows:
        t.add_row(*r)
    return t


def _orbit_rows(name: str, o: dict[str, Any]) -> list[tuple[str, str, str]]:
    kind = (f"SSO, LTAN {o['ltan_h']:g} h" if o["sun_synchronous"]
            else f"{o['inclination_deg']:.1f} deg")
    return [
        (f"{name}: altitude / type", f"{o['altitude_m'] / 1e3:,.0f} km", kind),
        (f"{name}: inclination", f"{o['inclination_deg']:.2f}", "deg"),
        (f"{name}: sunlit fraction, year mean (min)",
         f"{o['mean_sunlit_fraction']:.3f} ({o['min_sunlit_fraction']:.3f})", "-"),
        (f"{name}: longest eclipse", f"{o['max_eclipse_s'] / 60:.1f}", "min"),
        (f"{name}: eclipse days per year", f"{o['eclipse_days_per_year']:.0f}", "d"),
    ]


def physics(
    *,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Summary of the physics models for a scenario: solar, orbit, radiator, satellite budget,
    launch and terrestrial data center (central values; units in every JSON field name)."""
    reg = registry(scenario, set_)
    s = physics_summary(reg)
    if json_:
        emit_json(s)
        return
    out = console()
    out.print(f"[bold]terawatt physics[/bold] — scenario [bold]{s['scenario']}[/bold]"
              + (f" (--set {', '.join(s['overrides'])})" if s["overrides"] else ""))
    if "solar" in s:
        so = s["solar"]
        rows = [("AM0 irradiance (space)", _g(so["am0_irradiance_w_per_m2"]), "W/m²"),
                ("AM1.5G irradiance (ground, ASTM G173)", _g(so["am15g_irradiance_w_per_m2"]),
                 "W/m²"),
                ("atmospheric loss at AM1.5G", f"{so['atmospheric_loss_fraction']:.1%}", "")]
        out.print(_table("Solar", rows))
    if "solar_orbit_vs_ground" in s:
        t = Table(title="Annual solar energy, orbit (configured) / ground site",
                  title_justify="left")
        for c in ("site", "mounting", "ground kWh/m²/yr", "orbit/ground per m²",
                  "per rated W"):
            t.add_column(c, justify="left" if c in ("site", "mounting") else "right")
        for r in s["solar_orbit_vs_ground"]:
            t.add_row(r["site_name"], r["mounting"], _g(r["ground_poa_kwh_per_m2_yr"]),
                      f"{r['ratio_per_m2']:.2f}", f"{r['ratio_per_rated_w']:.2f}")
        out.print(t)
    o = s["orbit"]
    out.print(_table("Orbit", _orbit_rows("configured", o["configured"])
                     + _orbit_rows("reference shell", o["reference_shell"])
                     + [("SSO inclination at configured altitude",
                         f"{o['sso_inclination_deg_at_configured_altitude']:.2f}", "deg")]))
    r = s["radiator"]
    out.print(_table("Radiator", [
        ("temperature / emissivity / sides",
         f"{r['temperature_k']:.1f} / {r['emissivity']:.2f} / {r['sides']:g}", "K / - / -"),
        ("emitted flux", _g(r["emitted_flux_w_per_m2"]), "W/m²"),
        ("absorbed (Earth IR, albedo, sun)", _g(r["absorbed_flux_w_per_m2"]), "W/m²"),
        ("net flux", _g(r["net_flux_w_per_m2"]), "W/m²"),
        ("area per MW of heat", _g(r["area_m2_per_mw_heat"]), "m²/MW"),
        ("mass per MW of heat", _g(r["mass_kg_per_mw_heat"]), "kg/MW"),
    ]))
    sat = s["satellite"]
    rows = [
        ("compute power per satellite", _g(sat["compute_power_w"] / 1e3), "kW"),
        ("array power BOL", _g(sat["array_power_bol_w"] / 1e3), "kW"),
        ("array / radiator area", f"{sat['array_area_m2']:,.0f} / {sat['radiator_area_m2']:,.0f}",
         "m²"),
        ("total mass", _g(sat["total_mass_kg"]), "kg"),
    ]
    rows += [(f"  {k} mass", _g(v), "kg") for k, v in sat["mass_kg"].items()]
    rows += [
        ("[bold]specific power[/bold]", f"[bold]{sat['specific_power_w_per_kg']:.1f}[/bold]",
         "W/kg"),
        ("specific power x availability", f"{sat['average_specific_power_w_per_kg']:.1f}",
         "W/kg"),
        ("mass per MW of compute", _g(sat["mass_per_mw_kg"] / 1e3), "t/MW"),
    ]
    out.print(_table("Compute satellite (GB300-class payload)", rows))
    la = s["launch"]
    out.print(_table("Launch", [
        ("payload per flight", _g(la["payload_per_flight_kg"] / 1e3), "t"),
        ("launches per year", _g(la["launches_per_year"]), "/yr"),
        ("mass to orbit", _g(la["mass_to_orbit_kg_per_yr"] / 1e3), "t/yr"),
        ("compute per launch", _g(la["compute_per_launch_w"] / 1e6), "MW"),
        ("[bold]compute launched[/bold]",
         f"[bold]{_g(la['compute_launched_w_per_yr'] / 1e9)}[/bold]", "GW/yr"),
    ]))
    d = s["datacenter"]
    rows = [
        ("GPU TDP", _g(d["gpu_tdp_w"]), "W"),
        ("NVL72 rack IT power", _g(d["rack_it_power_w"] / 1e3), "kW"),
        ("IT power per accelerator (incl. network)", _g(d["it_power_per_accelerator_w"]), "W"),
        ("facility power per accelerator (PUE, reserve)",
         _g(d["facility_power_per_accelerator_w"]), "W"),
    ]
    rows += [(f"facility power, {c['n_accelerators']:,.0f} GB300",
              _g(c["facility_power_w"] / 1e6), "MW") for c in d["clusters"]]
    out.print(_table("Terrestrial data center", rows))
    out.print("Inputs, ranges and sources: terawatt assumptions solar | orbit | thermal | "
              "satellite | launch | compute | datacenter  (fields: docs/physics.md)")
