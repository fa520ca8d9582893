"""Orbit geometry against published figures, skyfield, and invariants (Hypothesis)."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions, load_registry
from terawatt.physics.orbit import (
    OrbitConstants,
    annual_sunlit_fraction,
    beta_angle_rad,
    eclipse_fraction,
    orbital_period_s,
    sso_inclination_rad,
    sun_position_series,
    sunlit_fraction,
)

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
C = OrbitConstants.from_registry(load_registry())  # the packaged orbit.* constants
DEG = np.pi / 180.0
ARCMIN = DEG / 60.0
MINUTE = 60.0


def _read_reference(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (REFERENCE / name).read_text().splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize("row", _read_reference("orbit_sso_inclination.csv"),
                         ids=lambda r: f"{r['altitude_km']}km")
def test_sso_inclination_matches_published_table(row: dict[str, str]) -> None:
    """SSO inclination vs altitude (circular), table in tests/reference/orbit_sso_inclination.csv
    (Vallado 2013, Fundamentals of Astrodynamics, section 11.4 / Wertz SMAD Table; the same
    values are tabulated by ESA's sun-synchronous orbit page). Tolerance 0.05 deg."""
    inc = sso_inclination_rad(float(row["altitude_km"]) * 1e3, constants=C)
    assert abs(float(inc) - float(row["inclination_deg"]) * DEG) <= 0.05 * DEG


def test_sso_inclination_is_nan_where_impossible() -> None:
    """No sun-synchronous circular orbit exists above ~5,970 km (Vallado 2013, Fig. 11-16)."""
    assert np.isnan(sso_inclination_rad(8000e3, constants=C))
    assert np.isfinite(sso_inclination_rad(5000e3, constants=C))


def test_iss_period_and_longest_eclipse() -> None:
    """ISS (51.6 deg, ~420 km): period ~92.7-92.9 min and longest eclipse ~36 min
    (NASA, "International Space Station Facts and Figures"; NASA TFAWS 2014, Rickman, ISS
    beta-angle example: 36 min of eclipse at beta = 0). Tolerances 0.5 min and 1 min."""
    period = float(orbital_period_s(420e3, constants=C))
    assert abs(period - 92.7 * MINUTE) <= 0.5 * MINUTE
    year = annual_sunlit_fraction(420e3, 51.6 * DEG, constants=C)
    assert abs(year.max_eclipse_duration_s - 36.0 * MINUTE) <= 1.0 * MINUTE
    assert year.orbital_period_s == pytest.approx(period)


def _dawn_dusk_eclipse_by_hand(altitude_m: float, inclination_rad: float) -> tuple[float, float]:
    """Independent reference for a dawn-dusk SSO: the orbit normal lies in the ecliptic-
    equator geometry such that beta = 180 deg - i - delta, with delta the Sun's declination;
    the longest eclipse is at the June solstice (delta = obliquity 23.44 deg, IAU) and lasts
    T * arccos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi (Wertz & Larson, Space Mission
    Analysis and Design, 3rd ed., 1999, eq. 5-3, cylindrical shadow); the eclipse season is the
    part of the year whose declination, taken as 23.44 deg x sin(2 pi (d - 80) / 365.25),
    brings beta below arcsin(R / (R + h)). Returns (longest eclipse [s], eclipse days)."""
    r_e, mu, obliquity = 6378137.0, 3.986004418e14, np.radians(23.44)
    a = r_e + altitude_m
    period_s = 2 * np.pi * np.sqrt(a**3 / mu)
    beta_min = np.pi - inclination_rad - obliquity
    half = np.arccos(np.sqrt(altitude_m**2 + 2 * r_e * altitude_m) / (a * np.cos(beta_min)))
    beta_star = np.arcsin(r_e / a)
    decl_needed = np.pi - inclination_rad - beta_star  # eclipses while declination exceeds it
    season = (np.pi - 2 * np.arcsin(decl_needed / obliquity)) / (2 * np.pi)
    return float(period_s * half / np.pi), float(season * 365.25)


@pytest.mark.parametrize("altitude_km", [550, 650, 800])
def test_dawn_dusk_sso_eclipse_season(altitude_km: int) -> None:
    """Dawn-dusk (18:00 LTAN) SSO: eclipses only in a season around the June solstice (the
    sun is then furthest from the orbit normal, which points to ecliptic north of the
    terminator); Gilmore (2002) ch. 2 notes a dawn-dusk SSO sees short eclipses for ~3 months
    a year. The longest eclipse and the season's length are checked against the hand
    calculation of :func:`_dawn_dusk_eclipse_by_hand` (SMAD's closed form at solstice
    geometry, a fixed-obliquity sinusoidal declination), independent of the model's
    day-by-day Sun ephemeris and nodal precession. Tolerances 0.5 min and 5 days."""
    max_eclipse_s, eclipse_days = _dawn_dusk_eclipse_by_hand(
        altitude_km * 1e3, float(sso_inclination_rad(altitude_km * 1e3, constants=C)))
    assert 10 * MINUTE < max_eclipse_s < 30 * MINUTE and 60 < eclipse_days < 120
    h = altitude_km * 1e3
    year = annual_sunlit_fraction(h, float(sso_inclination_rad(h, constants=C)), ltan_h=18.0,
                                  constants=C)
    assert abs(year.max_eclipse_duration_s - max_eclipse_s) <= 0.5 * MINUTE
    assert abs(year.eclipse_days_per_year - eclipse_days) <= 5
    eclipsed = year.days[year.beta_rad < np.arcsin(6378137 / (6378137 + h))]
    # eclipse season centred on the June solstice (day-of-year ~172, mid-year sample)
    doy = np.mod(eclipsed - year.days[0], 365.2422)
    assert 120 < np.mean(doy) < 220


def test_hinode_eclipse_season_peak() -> None:
    """Hinode (Solar-B), dawn-dusk sun-synchronous orbit at ~680 km: "in the peak of eclipse
    season (around mid-July) [night] is about 20 minutes" (MSSL Hinode/EIS operations wiki,
    SbandObservingInfo, 2009; https://vsolar.mssl.ucl.ac.uk/JSPWiki/). Tolerance 1.5 min; the
    peak must fall in the northern summer (our ideal 18:00 LTAN puts it at the solstice)."""
    h = 680e3
    year = annual_sunlit_fraction(h, float(sso_inclination_rad(h, constants=C)), ltan_h=18.0,
                                  constants=C)
    assert abs(year.max_eclipse_duration_s - 20.0 * MINUTE) <= 1.5 * MINUTE
    peak_doy = float(np.mod(year.days[np.argmin(year.beta_rad)] - year.days[0], 365.2422))
    assert 150 <= peak_doy <= 215


def test_eclipse_fraction_matches_numerical_shadow() -> None:
    """Independent check of the closed form (Gilmore 2002): place 20,000 points evenly along a
    circular orbit whose plane makes angle beta with the Sun, and count those inside the
    cylinder of radius R behind the Earth. Tolerance 1e-3 of the period."""
    r_e = C.earth_radius_m
    u = np.linspace(0.0, 2 * np.pi, 20_000, endpoint=False)
    for h_km, beta_deg in [(400, 0.0), (550, 30.0), (800, 55.0), (1500, 10.0), (550, 75.0)]:
        r = r_e + h_km * 1e3
        b = beta_deg * DEG
        sun = np.array([np.cos(b), 0.0, np.sin(b)])  # orbit plane = x-y, normal = z
        pos = r * np.stack([np.cos(u), np.sin(u), np.zeros_like(u)])
        along = sun @ pos
        perp = np.linalg.norm(pos - np.outer(sun, along), axis=0)
        numeric = np.mean((along < 0) & (perp < r_e))
        assert abs(float(eclipse_fraction(h_km * 1e3, b, constants=C)) - numeric) <= 1e-3


@pytest.mark.parametrize(("altitude_km", "fraction"), [(550, 0.950), (650, 0.960), (800, 0.972)])
def test_dawn_dusk_sso_annual_sunlit_fraction(altitude_km: int, fraction: float) -> None:
    """Annual sunlit fraction of an 18:00 dawn-dusk SSO: 95.0/96.0/97.2 % at 550/650/800 km
    (research note orbital.md, cylindrical shadow); Starcloud's white paper quotes ">95 %"
    and McCalip's calculator 98 % for a terminator orbit. Tolerance 0.3 percentage points."""
    h = altitude_km * 1e3
    year = annual_sunlit_fraction(h, float(sso_inclination_rad(h, constants=C)), ltan_h=18.0,
                                  constants=C)
    assert abs(year.mean_sunlit_fraction - fraction) <= 0.003
    assert year.mean_sunlit_fraction > 0.95 - 1e-3


def test_inclined_shell_sunlit_fraction() -> None:
    """53 deg / 550 km (Starlink shell 1). At beta = 0 the sunlit fraction is
    1 - arcsin(R/(R+h))/pi = 0.628 (Gilmore 2002 ch. 2, analytic); over a year the beta angle
    of a 53 deg orbit sweeps +-76 deg, and the annual mean lies between that floor and the
    ~0.7 reported for LEO shells (McCalip's calculator uses 60 % for "LEO", a rounded floor).
    Bounds: min within 0.002 of 0.628; mean in [0.62, 0.72] and above the floor."""
    year = annual_sunlit_fraction(550e3, 53 * DEG, constants=C)
    assert abs(year.min_sunlit_fraction - 0.628) <= 0.002
    assert 0.62 <= year.mean_sunlit_fraction <= 0.72
    assert year.mean_sunlit_fraction > year.min_sunlit_fraction
    # the node of an inclined shell precesses through all local times: eclipses most days
    assert year.eclipse_days_per_year > 300


def test_beta_angle_matches_skyfield() -> None:
    """The analytic beta angle (almanac Sun + NASA beta formula) against skyfield's apparent
    Sun from JPL DE421 (skyfield-data, no download), in the true equator and equinox of date,
    for 2026. Tolerance 0.1 deg (the almanac formula is good to 0.01 deg in longitude)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data warns that its IERS file is old
        from skyfield_data import get_skyfield_data_path
        path = get_skyfield_data_path()
    from skyfield.api import Loader
    from skyfield.framelib import true_equator_and_equinox_of_date

    load = Loader(path, verbose=False)
    ts = load.timescale(builtin=True)
    eph = load("de421.bsp")
    days = C.epoch_day_j2000 + np.arange(0.0, 365.0, 7.0)
    t = ts.tt_jd(2451545.0 + days)
    try:
        xyz = eph["earth"].at(t).observe(eph["sun"]).apparent().frame_xyz(
            true_equator_and_equinox_of_date).au
    finally:
        eph.close()
    s = xyz / np.linalg.norm(xyz, axis=0)
    sun = sun_position_series(days, constants=C)
    for inc_deg, raan_deg in [(53.0, 0.0), (97.8, 123.0), (51.6, 250.0), (30.0, 75.0)]:
        i, o = inc_deg * DEG, raan_deg * DEG
        normal = np.array([np.sin(i) * np.sin(o), -np.sin(i) * np.cos(o), np.cos(i)])
        beta_ref = np.arcsin(normal @ s)
        beta = beta_angle_rad(i, o, sun.ecliptic_longitude_rad, sun.obliquity_rad)
        assert np.max(np.abs(beta - beta_ref)) <= 0.1 * DEG


def test_sun_declination_at_june_solstice() -> None:
    """At the June solstice 2026 (21 June, 08:24 UT, USNO) the Sun's declination equals the
    obliquity, 23.44 deg (Astronomical Almanac). Tolerance 1 arcminute."""
    # 2026-06-21 08:24 UT = J2000 + 9667.85 days (TT - UT ~ 69 s ignored)
    sun = sun_position_series(np.array([9667.85]), constants=C)
    assert abs(float(sun.declination_rad[0]) - 23.436 * DEG) <= 1 * ARCMIN


def test_constants_follow_scenario_overrides() -> None:
    """Constants come from the registry: overriding the Earth radius changes the period."""
    reg = load_assumptions("baseline", ["orbit.earth_equatorial_radius=6400 km"])
    c = OrbitConstants.from_registry(reg)
    assert c.earth_radius_m == 6.4e6
    assert orbital_period_s(500e3, constants=c) > orbital_period_s(500e3, constants=C)


def test_eclipse_fraction_is_vectorised() -> None:
    """Broadcasting over altitude x beta; beta = 90 deg never eclipses (Gilmore 2002)."""
    h = np.array([[400e3], [800e3]])
    beta = np.array([0.0, 0.5, np.pi / 2])
    f = eclipse_fraction(h, beta, constants=C)
    assert f.shape == (2, 3)
    assert_allclose(f[:, 2], 0.0)
    assert np.all(f[:, 0] >= f[:, 1])


@settings(max_examples=200, deadline=None)
@given(h_km=st.floats(200, 2000), beta=st.floats(-np.pi / 2, np.pi / 2))
def test_sunlit_fraction_bounded(h_km: float, beta: float) -> None:
    """Property: the sunlit fraction lies in [0.5, 1] (a subset of [0, 1]) for any altitude
    200-2000 km and any beta angle."""
    s = float(sunlit_fraction(h_km * 1e3, beta, constants=C))
    assert 0.5 - 1e-12 <= s <= 1.0 + 1e-12


@settings(max_examples=100, deadline=None)
@given(h_km=st.floats(200, 2000), dh_km=st.floats(0, 500),
       inc_deg=st.floats(0, 180), raan_deg=st.floats(0, 360))
def test_sunlit_fraction_monotone_in_altitude(h_km: float, dh_km: float, inc_deg: float,
                                              raan_deg: float) -> None:
    """Property: a higher orbit never sees less sun at beta = 0, and the annual mean of any
    orbit stays in [0, 1]."""
    assert (sunlit_fraction((h_km + dh_km) * 1e3, 0.0, constants=C)
            >= sunlit_fraction(h_km * 1e3, 0.0, constants=C))
    year = annual_sunlit_fraction(h_km * 1e3, inc_deg * DEG, raan_rad=raan_deg * DEG, n_days=24,
                                  constants=C)
    assert 0.0 <= year.min_sunlit_fraction <= year.mean_sunlit_fraction <= 1.0


def test_annual_sunlit_fraction_is_vectorised() -> None:
    """Arrays of orbits (e.g. Monte Carlo samples) give the same figures as one-by-one calls."""
    h = np.array([550e3, 650e3, 1200e3])
    inc = np.radians([53.0, 70.0, 97.6])
    many = annual_sunlit_fraction(h, inc, n_days=73, constants=C)
    assert many.beta_rad.shape == (3, 73)
    for k in range(3):
        one = annual_sunlit_fraction(float(h[k]), float(inc[k]), n_days=73, constants=C)
        assert many.mean_sunlit_fraction[k] == pytest.approx(one.mean_sunlit_fraction)
        assert many.max_eclipse_duration_s[k] == pytest.approx(one.max_eclipse_duration_s)
    sso = annual_sunlit_fraction(h, sso_inclination_rad(h, constants=C),
                                 ltan_h=np.array([18.0, 6.0, 10.5]), constants=C)
    assert sso.mean_sunlit_fraction.shape == (3,)
    assert sso.mean_sunlit_fraction[2] < sso.mean_sunlit_fraction[0]  # 10:30 sees the night
