"""Sunlight on a solar array: above the atmosphere, at a ground site, and in orbit.

* the ASTM G173-03 reference spectra shipped with pvlib, integrated to AM0 and AM1.5
  irradiance (and the share of sunlight the atmosphere takes, claim C05);
* a year of plane-of-array (POA) energy at a ground site, from the TMY files shipped with
  pvlib or from the Ineichen clear-sky model at any latitude/longitude times a sourced
  cloud/availability factor; fixed latitude tilt or single-axis tracking, Perez transposition,
  ASHRAE incidence-angle losses on the beam, SAPM cell temperature and a temperature
  coefficient, PVWatts-style system and inverter losses;
* array degradation per year;
* annual energy per m² (and per rated watt) of an array in orbit over one at a ground site
  (claim C04), using :mod:`terawatt.physics.orbit` for the sunlit fraction.

All constants come from ``solar.toml`` (``solar.*`` keys); functions that need them take
``reg=`` (a :class:`terawatt.assumptions.Registry`, required). Energies are in kWh because that
is how published yields are quoted; the names say so.

References
----------
.. [1] ASTM G173-03, Standard Tables for Reference Solar Spectral Irradiances: Direct Normal
   and Hemispherical on 37° Tilted Surface, ASTM International, 2003 (2012).
.. [2] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python package for
   modeling solar energy systems", JOSS 3(29), 884, 2018. https://doi.org/10.21105/joss.00884
.. [3] A. P. Dobos, PVWatts Version 5 Manual, NREL/TP-6A20-62641, 2014.
   https://doi.org/10.2172/1158421
.. [4] P. Ineichen, R. Perez, "A new airmass independent formulation for the Linke turbidity
   coefficient", Solar Energy 73(3), 151-157, 2002.
.. [5] D. L. King, W. E. Boyson, J. A. Kratochvil, Photovoltaic Array Performance Model,
   SAND2004-3535, Sandia, 2004.
.. [6] D. C. Jordan, S. R. Kurtz, "Photovoltaic Degradation Rates - An Analytical Review",
   Prog. Photovolt. 21(1), 12-29, 2013.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from terawatt.constants import SECONDS_PER_HOUR
from terawatt.physics import orbit

if TYPE_CHECKING:
    from terawatt.assumptions import Registry

FloatArray = NDArray[np.float64]

#: Watt-hours per kWh (definition).
WH_PER_KWH = 1000.0
#: Kelvin at 0 °C (definition of the Celsius scale); pvlib's temperature models use °C.
ZERO_CELSIUS_K = 273.15

#: Assumption keys read by this module (all in ``solar.toml``).
SOLAR_KEYS: tuple[str, ...] = (
    "solar.solar_constant",
    "solar.stc_irradiance",
    "solar.stc_cell_temperature",
    "solar.temperature_coefficient",
    "solar.sapm_a",
    "solar.sapm_b",
    "solar.sapm_delta_t",
    "solar.iam_b0",
    "solar.ground_albedo",
    "solar.system_losses",
    "solar.inverter_efficiency",
    "solar.tracker_max_angle",
    "solar.tracker_gcr",
    "solar.cloud_availability_factor",
    "solar.cloud_availability_factor_desert",
    "solar.clearsky_air_temperature",
    "solar.clearsky_wind_speed",
    "solar.ground_degradation_rate",
    "solar.space_cell_temperature",
    "solar.space_incidence_factor",
)

MOUNTINGS: tuple[str, ...] = ("fixed", "single_axis")


def _p(reg: Registry) -> dict[str, float]:
    return {k.removeprefix("solar."): float(reg.si(k)) for k in SOLAR_KEYS}


@contextmanager
def _quiet_pandas_deprecations() -> Iterator[None]:
    """pvlib 0.16 calls pandas APIs that pandas 3 deprecates; not ours to fix, so hush them."""
    import pandas.errors as pde

    category: type[Warning] = getattr(pde, "Pandas4Warning", FutureWarning)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated.*")
        yield


# --------------------------------------------------------------------------------------------
# the reference spectra (ASTM G173-03 as shipped by pvlib)
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _g173_integrals_w_m2() -> dict[str, float]:
    from pvlib.spectrum import get_reference_spectra

    spectra = get_reference_spectra(standard="ASTM G173-03")
    wl_nm = spectra.index.to_numpy(dtype=np.float64)
    return {col: float(np.trapezoid(spectra[col].to_numpy(dtype=np.float64), wl_nm))
            for col in ("extraterrestrial", "global", "direct")}


def am0_irradiance_w_m2() -> float:
    """Extraterrestrial (AM0) irradiance integrated from ASTM G173-03, 280-4000 nm.

    The file's range holds about 1348 W/m²; G173 states 1366.1 W/m² for the whole spectrum
    (and today's measured total is 1361, ``solar.solar_constant``).

    Returns
    -------
    float
        Irradiance [W/m²].

    References
    ----------
    .. [1] ASTM G173-03 (2012), Standard Tables for Reference Solar Spectral Irradiances,
       as shipped in pvlib (``pvlib.spectrum.get_reference_spectra``).
    """
    return _g173_integrals_w_m2()["extraterrestrial"]


def am15g_irradiance_w_m2() -> float:
    """AM1.5 global (direct + diffuse) irradiance on a 37° sun-facing tilt from ASTM G173-03.

    Returns
    -------
    float
        Irradiance [W/m²]; ~1000.4, the STC rating irradiance of IEC 60904-3.

    References
    ----------
    .. [1] ASTM G173-03 (2012); IEC 60904-3:2019.
    """
    return _g173_integrals_w_m2()["global"]


def am15d_irradiance_w_m2() -> float:
    """AM1.5 direct (circumsolar) irradiance from ASTM G173-03 [W/m²] (~900).

    Returns
    -------
    float
        Irradiance [W/m²].

    References
    ----------
    .. [1] ASTM G173-03 (2012).
    """
    return _g173_integrals_w_m2()["direct"]


_LOSS_COMPONENTS: dict[str, Callable[[], float]] = {
    "global": am15g_irradiance_w_m2,
    "direct": am15d_irradiance_w_m2,
}


def atmospheric_loss_fraction(component: str = "global") -> float:
    """Share of the sunlight above the atmosphere that does not reach a sun-facing panel.

    ``1 - E_AM1.5 / E_AM0`` with both integrals taken from the G173 columns over the same
    280-4000 nm range. ``"global"`` (direct + diffuse on a 37° tilt, what a flat panel gets at
    air mass 1.5 under a clear sky) gives ~26 %; ``"direct"`` (beam only, what a concentrator
    gets) ~33 %. Clouds, night and the sun's height come on top (see the annual functions).

    Parameters
    ----------
    component : {"global", "direct"}
        Which G173 ground spectrum to compare with AM0.

    Returns
    -------
    float
        Fraction lost [dimensionless].

    References
    ----------
    .. [1] ASTM G173-03 (2012), columns "Extraterrestrial", "Global tilt", "Direct+circumsolar".
    """
    try:
        ground = _LOSS_COMPONENTS[component]()
    except KeyError:
        raise ValueError(f"component {component!r}: allowed {sorted(_LOSS_COMPONENTS)}") from None
    return 1.0 - ground / am0_irradiance_w_m2()


# --------------------------------------------------------------------------------------------
# ground sites (TMY files shipped with pvlib)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GroundSite:
    """A ground site with a typical-meteorological-year file shipped by pvlib.

    Attributes: ``key`` (id used by the functions), ``name``, ``latitude_deg``,
    ``longitude_deg`` [deg], ``altitude_m`` [m], ``file`` (name in pvlib/data), ``format``
    ("tmy3" or "tmy2"), ``climate`` (short description).
    """

    key: str
    name: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    file: str
    format: str
    climate: str


# The coordinates are those in the files' headers (checked by the tests).
_SITES: tuple[GroundSite, ...] = (
    GroundSite("greensboro", "Greensboro Piedmont Triad Intl, NC, USA", 36.1, -79.95, 273.0,
               "723170TYA.CSV", "tmy3", "humid subtropical, US average resource"),
    GroundSite("miami", "Miami, FL, USA", 25.8, -80.26666666666667, 2.0,
               "12839.tm2", "tmy2", "tropical monsoon, sunny but cloudy summers"),
    GroundSite("sand_point", "Sand Point, AK, USA", 55.317, -160.517, 7.0,
               "703165TY.csv", "tmy3", "subpolar oceanic, cloudy (a poor site)"),
)


def ground_sites() -> tuple[GroundSite, ...]:
    """The ground sites whose TMY files ship with pvlib (name, latitude, longitude...)."""
    return _SITES


def _site(site: str | GroundSite) -> GroundSite:
    if isinstance(site, GroundSite):
        return site
    for s in _SITES:
        if s.key == site:
            return s
    raise ValueError(f"site {site!r}: allowed {[s.key for s in _SITES]}")


def _pvlib_data_dir() -> Path:
    import pvlib

    return Path(pvlib.__file__).resolve().parent / "data"


#: TMY2 stores temperature and wind speed in tenths of °C and of m/s (Marion & Urban 1995,
#: User's Manual for TMY2s, NREL, Table 3-1).
TMY2_TENTHS = 0.1


@lru_cache(maxsize=8)
def _read_tmy(key: str) -> pd.DataFrame:
    """Hourly ghi, dni, dhi [W/m²], temp_air [°C], wind_speed [m/s] of a shipped TMY file,
    indexed at the middle of each hour (local standard time)."""
    import pvlib

    s = _site(key)
    path = _pvlib_data_dir() / s.file
    if s.format == "tmy3":
        df, _ = pvlib.iotools.read_tmy3(str(path), map_variables=True)
        out = df[["ghi", "dni", "dhi", "temp_air", "wind_speed"]]
        # TMY3 stamps the end of each hour (Wilcox & Marion 2008)
        offset = pd.Timedelta(minutes=-30)
    else:
        df, _ = pvlib.iotools.read_tmy2(str(path))
        out = pd.DataFrame({"ghi": df["GHI"], "dni": df["DNI"], "dhi": df["DHI"],
                            "temp_air": df["DryBulb"] * TMY2_TENTHS,
                            "wind_speed": df["Wspd"] * TMY2_TENTHS})
        # pvlib's TMY2 reader stamps the start of each hour (hour - 1)
        offset = pd.Timedelta(minutes=30)
    out = out.astype(np.float64)
    return out.set_axis(out.index + offset)


# --------------------------------------------------------------------------------------------
# a year of plane-of-array energy
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AnnualEnergy:
    """A year of solar energy on one kWp / one m² of array at a site.

    Attributes
    ----------
    site : str
        Site id or "lat,lon" for clear-sky runs.
    mounting : str
        "fixed" (latitude tilt, equator-facing) or "single_axis" (N-S axis, backtracking).
    latitude_deg, longitude_deg : float
        Location [deg].
    poa_kwh_m2 : float
        Plane-of-array irradiation over the year [kWh/m²].
    dc_yield_kwh_per_kwp : float
        DC energy per kW of STC rating, after incidence-angle and cell-temperature losses,
        before system losses [kWh/kWp].
    ac_or_dc_yield_kwh_per_kwp : float
        AC energy per kW of DC (STC) rating after PVWatts system losses and inverter
        efficiency [kWh/kWp].
    capacity_factor : float
        ``ac_or_dc_yield_kwh_per_kwp / hours in the year`` (AC energy per DC kW) [-].
    cell_temp_loss_fraction : float
        Energy lost to cell temperature above 25 °C, share of the irradiance-weighted
        energy [-] (negative would mean a gain in a cold climate).
    hours : float
        Hours in the year simulated [h].
    availability_factor : float
        Cloud/availability factor applied (1 for TMY runs, which contain real clouds) [-].
    """

    site: str
    mounting: str
    latitude_deg: float
    longitude_deg: float
    poa_kwh_m2: float
    dc_yield_kwh_per_kwp: float
    ac_or_dc_yield_kwh_per_kwp: float
    capacity_factor: float
    cell_temp_loss_fraction: float
    hours: float
    availability_factor: float = 1.0

    def __post_init__(self) -> None:
        if self.mounting not in MOUNTINGS:
            raise ValueError(f"mounting {self.mounting!r}: allowed {list(MOUNTINGS)}")
        if not (self.poa_kwh_m2 >= 0 and 0 <= self.capacity_factor <= 1):
            raise ValueError("poa_kwh_m2 must be >= 0 and capacity_factor within [0, 1]")


def _orientation(mounting: str, lat_deg: float, zenith: pd.Series, azimuth: pd.Series,
                 p: dict[str, float]) -> tuple[Any, Any]:
    """Surface tilt and azimuth [deg] for a mounting (pvlib conventions)."""
    import pvlib

    equator_az = 180.0 if lat_deg >= 0 else 0.0
    if mounting == "fixed":
        return abs(lat_deg), equator_az
    if mounting == "single_axis":
        trk = pvlib.tracking.singleaxis(zenith, azimuth, axis_tilt=0.0, axis_azimuth=equator_az,
                                        max_angle=np.degrees(p["tracker_max_angle"]),
                                        backtrack=True, gcr=p["tracker_gcr"])
        tilt = trk["surface_tilt"].fillna(0.0)
        az = trk["surface_azimuth"].fillna(equator_az)
        return tilt, az
    raise ValueError(f"mounting {mounting!r}: allowed {list(MOUNTINGS)}")


def _year_energy(times: pd.DatetimeIndex, lat_deg: float, lon_deg: float, altitude_m: float,
                 weather: pd.DataFrame, mounting: str, p: dict[str, float], site: str,
                 availability: float = 1.0) -> AnnualEnergy:
    """Transpose hourly ghi/dni/dhi to the array plane and convert to DC/AC energy."""
    import pvlib

    with _quiet_pandas_deprecations():
        sp = pvlib.solarposition.get_solarposition(times, lat_deg, lon_deg, altitude=altitude_m)
        doy = np.asarray(times.day_of_year, dtype=np.float64)
        dni_extra = pd.Series(pvlib.irradiance.get_extra_radiation(
            doy, solar_constant=p["solar_constant"]), index=times)
        airmass = pvlib.atmosphere.get_relative_airmass(sp["apparent_zenith"])
        tilt, az = _orientation(mounting, lat_deg, sp["apparent_zenith"], sp["azimuth"], p)
        irr = pvlib.irradiance.get_total_irradiance(
            tilt, az, sp["apparent_zenith"], sp["azimuth"], weather["dni"], weather["ghi"],
            weather["dhi"], dni_extra=dni_extra, airmass=airmass, albedo=p["ground_albedo"],
            model="perez")
        aoi = pvlib.irradiance.aoi(tilt, az, sp["apparent_zenith"], sp["azimuth"])
        iam = pvlib.iam.ashrae(aoi, b=p["iam_b0"])
    poa = irr["poa_global"].fillna(0.0).clip(lower=0.0).to_numpy()
    beam = irr["poa_direct"].fillna(0.0).clip(lower=0.0).to_numpy()
    effective = poa - beam * (1.0 - np.nan_to_num(np.asarray(iam, dtype=np.float64)))
    t_cell_c = pvlib.temperature.sapm_cell(effective, weather["temp_air"].to_numpy(),
                                           weather["wind_speed"].to_numpy(),
                                           p["sapm_a"], p["sapm_b"], p["sapm_delta_t"],
                                           irrad_ref=p["stc_irradiance"])
    t_stc_c = p["stc_cell_temperature"] - ZERO_CELSIUS_K
    temp_factor = 1.0 + p["temperature_coefficient"] * (np.asarray(t_cell_c) - t_stc_c)
    dc_wh_per_w = float(np.sum(effective * temp_factor)) / p["stc_irradiance"] * availability
    ideal_wh_per_w = float(np.sum(effective)) / p["stc_irradiance"] * availability
    hours = float(len(times))
    ac_kwh_per_kwp = dc_wh_per_w * (1.0 - p["system_losses"]) * p["inverter_efficiency"]
    return AnnualEnergy(
        site=site,
        mounting=mounting,
        latitude_deg=float(lat_deg),
        longitude_deg=float(lon_deg),
        poa_kwh_m2=float(np.sum(poa)) * availability / WH_PER_KWH,
        dc_yield_kwh_per_kwp=dc_wh_per_w,
        ac_or_dc_yield_kwh_per_kwp=ac_kwh_per_kwp,
        capacity_factor=ac_kwh_per_kwp / hours,
        cell_temp_loss_fraction=(1.0 - dc_wh_per_w / ideal_wh_per_w) if ideal_wh_per_w else 0.0,
        hours=hours,
        availability_factor=float(availability),
    )


def annual_poa_energy_tmy(site: str | GroundSite = "greensboro", mounting: str = "fixed", *,
                          reg: Registry) -> AnnualEnergy:
    """A year of plane-of-array energy and PV yield at a shipped TMY site.

    Hour-ending TMY records are evaluated at the middle of the hour (solar position), Perez
    1990 transposition with ``solar.ground_albedo``, ASHRAE beam incidence losses, SAPM
    open-rack cell temperature from the file's air temperature and wind, and the module
    temperature coefficient; system and inverter losses as in PVWatts v5.

    Parameters
    ----------
    site : str or GroundSite
        One of :func:`ground_sites` (``"greensboro"``, ``"miami"``, ``"sand_point"``).
    mounting : {"fixed", "single_axis"}
        Fixed at latitude tilt facing the equator, or a horizontal N-S single-axis tracker
        with backtracking (``solar.tracker_max_angle``, ``solar.tracker_gcr``).
    reg : Registry
        Assumptions (``solar.*``).

    Returns
    -------
    AnnualEnergy
        POA irradiation [kWh/m²], DC and AC yield [kWh/kWp], capacity factor [-],
        cell-temperature loss [-].

    References
    ----------
    .. [1] S. Wilcox, W. Marion, Users Manual for TMY3 Data Sets, NREL/TP-581-43156, 2008.
    .. [2] R. Perez et al., "Modeling daylight availability and irradiance components from
       direct and global irradiance", Solar Energy 44(5), 271-289, 1990.
    .. [3] King et al. (2004), SAND2004-3535 (SAPM cell temperature).
    .. [4] Dobos (2014), PVWatts Version 5 Manual.
    """
    s = _site(site)
    weather = _read_tmy(s.key)
    return _year_energy(pd.DatetimeIndex(weather.index), s.latitude_deg, s.longitude_deg,
                        s.altitude_m, weather, mounting, _p(reg), s.key)


@dataclass(frozen=True, slots=True)
class ClearSkySite:
    """A named location for :func:`annual_energy_clearsky` (no weather file needed).

    Attributes: ``key``, ``name``, ``latitude_deg``, ``longitude_deg`` [deg], ``desert``
    (use ``solar.cloud_availability_factor_desert``).
    """

    key: str
    name: str
    latitude_deg: float
    longitude_deg: float
    desert: bool


# Airport / city coordinates (WGS 84, rounded to 0.01 deg) from the NOAA station list.
_CLEARSKY_SITES: tuple[ClearSkySite, ...] = (
    ClearSkySite("phoenix", "Phoenix Sky Harbor, AZ, USA", 33.43, -112.01, True),
    ClearSkySite("atacama", "Calama (Atacama Desert), Chile", -22.50, -68.90, True),
    ClearSkySite("seattle", "Seattle-Tacoma, WA, USA", 47.45, -122.31, False),
    ClearSkySite("frankfurt", "Frankfurt am Main, Germany", 50.03, 8.57, False),
)


def clearsky_sites() -> tuple[ClearSkySite, ...]:
    """Preset locations for clear-sky runs: two deserts and two cloudy mid-latitude sites."""
    return _CLEARSKY_SITES


def annual_energy_clearsky_site(key: str, mounting: str = "fixed", *,
                                reg: Registry) -> AnnualEnergy:
    """:func:`annual_energy_clearsky` at a preset of :func:`clearsky_sites` (by key).

    Parameters
    ----------
    key : str
        Preset id (``"phoenix"``, ``"atacama"``, ``"seattle"``, ``"frankfurt"``).
    mounting : {"fixed", "single_axis"}
        Array mounting.
    reg : Registry
        Assumptions (``solar.*``).

    Returns
    -------
    AnnualEnergy
        The year at that site, with the desert or average availability factor.

    References
    ----------
    .. [1] NOAA NCDC, Comparative Climatic Data (percent of possible sunshine), 2013.
    """
    for s in _CLEARSKY_SITES:
        if s.key == key:
            e = annual_energy_clearsky(s.latitude_deg, s.longitude_deg, mounting,
                                       desert=s.desert, reg=reg)
            return replace(e, site=s.key)
    raise ValueError(f"clear-sky site {key!r}: allowed {[s.key for s in _CLEARSKY_SITES]}")


@lru_cache(maxsize=64)
def _clearsky_year(lat_deg: float, lon_deg: float, year: int) -> tuple[pd.DataFrame, float]:
    import pvlib

    times = pd.date_range(f"{year}-01-01 00:30", f"{year}-12-31 23:30", freq="1h", tz="UTC")
    with _quiet_pandas_deprecations():
        altitude_m = float(pvlib.location.lookup_altitude(lat_deg, lon_deg))
        loc = pvlib.location.Location(lat_deg, lon_deg, altitude=altitude_m)
        cs = loc.get_clearsky(times, model="ineichen")
    return cs[["ghi", "dni", "dhi"]].astype(np.float64), altitude_m


def annual_energy_clearsky(lat_deg: float, lon_deg: float, mounting: str = "fixed",
                           availability_factor: float | None = None, *, desert: bool = False,
                           year: int = 2026, temp_air_k: float | None = None,
                           wind_speed_m_s: float | None = None,
                           reg: Registry) -> AnnualEnergy:
    """A year of PV energy anywhere: Ineichen clear sky x a cloud/availability factor.

    Hourly clear-sky ghi/dni/dhi from pvlib's Ineichen-Perez model with its shipped Linke
    turbidity climatology and altitude lookup, transposed and converted as in
    :func:`annual_poa_energy_tmy`, then scaled by the share of clear-sky energy real skies
    deliver (``solar.cloud_availability_factor``, or ``..._desert`` with ``desert=True``).

    Parameters
    ----------
    lat_deg, lon_deg : float
        Site latitude and longitude [deg].
    mounting : {"fixed", "single_axis"}
        Array mounting.
    availability_factor : float, optional
        Real-sky / clear-sky energy ratio [-]; from the assumptions if omitted.
    desert : bool, optional
        Use the desert availability factor.
    year : int, optional
        Calendar year simulated (UTC hours); only the calendar, not the weather.
    temp_air_k : float, optional
        Air temperature for the cell-temperature model [K]; ``solar.clearsky_air_temperature``.
    wind_speed_m_s : float, optional
        Wind speed [m/s]; ``solar.clearsky_wind_speed``.
    reg : Registry
        Assumptions (``solar.*``).

    Returns
    -------
    AnnualEnergy
        As for TMY runs, with ``availability_factor`` set.

    References
    ----------
    .. [1] P. Ineichen, R. Perez, Solar Energy 73(3), 151-157, 2002 (clear-sky model).
    .. [2] J. Remund et al., "Worldwide Linke turbidity information", ISES 2003 (the shipped
       climatology).
    .. [3] NOAA NCDC, Comparative Climatic Data (percent of possible sunshine), 2013.
    """
    p = _p(reg)
    if availability_factor is None:
        availability_factor = p["cloud_availability_factor_desert" if desert
                                else "cloud_availability_factor"]
    if not 0.0 <= availability_factor <= 1.0:
        raise ValueError(f"availability_factor {availability_factor}: allowed [0, 1]")
    if not (-90.0 <= lat_deg <= 90.0 and -180.0 <= lon_deg <= 360.0):
        raise ValueError(f"latitude {lat_deg} / longitude {lon_deg}: outside [-90, 90] / "
                         "[-180, 360] deg")
    cs, altitude_m = _clearsky_year(float(lat_deg), float(lon_deg), int(year))
    t_air_c = (p["clearsky_air_temperature"] if temp_air_k is None else temp_air_k) \
        - ZERO_CELSIUS_K
    wind = p["clearsky_wind_speed"] if wind_speed_m_s is None else wind_speed_m_s
    weather = cs.assign(temp_air=t_air_c, wind_speed=wind)
    return _year_energy(cs.index, lat_deg, lon_deg, altitude_m, weather, mounting, p,
                        f"{lat_deg:.3f},{lon_deg:.3f}", availability=availability_factor)


# --------------------------------------------------------------------------------------------
# degradation
# --------------------------------------------------------------------------------------------
def degradation_factor(years: ArrayLike, rate_per_yr: ArrayLike) -> FloatArray:
    """Remaining power share after ``years`` at a constant relative loss per year.

    ``(1 - rate) ** years`` (compounding, as PV field studies report rates).

    Parameters
    ----------
    years : array_like
        Time in service [yr].
    rate_per_yr : array_like
        Relative power loss per year [1/yr] (``solar.ground_degradation_rate``,
        ``satellite.array.degradation_per_year``).

    Returns
    -------
    numpy.ndarray
        Remaining power fraction [dimensionless], in (0, 1].

    References
    ----------
    .. [1] Jordan & Kurtz (2013), Prog. Photovolt. 21(1), 12-29.
    """
    y = np.asarray(years, dtype=np.float64)
    r = np.asarray(rate_per_yr, dtype=np.float64)
    if np.any(y < 0) or np.any((r < 0) | (r >= 1)):
        raise ValueError("years must be >= 0 and rate_per_yr within [0, 1)")
    return np.power(1.0 - r, y)


def mean_degradation_factor(life_yr: ArrayLike, rate_per_yr: ArrayLike) -> FloatArray:
    """Average power share over a life of ``life_yr`` years (the integral of
    :func:`degradation_factor` divided by the life).

    Parameters
    ----------
    life_yr : array_like
        Service life [yr] (> 0).
    rate_per_yr : array_like
        Relative power loss per year [1/yr].

    Returns
    -------
    numpy.ndarray
        Life-average remaining power fraction [dimensionless].

    References
    ----------
    .. [1] Jordan & Kurtz (2013), Prog. Photovolt. 21(1), 12-29.
    """
    life = np.asarray(life_yr, dtype=np.float64)
    r = np.asarray(rate_per_yr, dtype=np.float64)
    if np.any(life <= 0) or np.any((r < 0) | (r >= 1)):
        raise ValueError("life_yr must be > 0 and rate_per_yr within [0, 1)")
    x = -np.log1p(-r) * life  # total log-loss over the life
    small = x < 1e-8  # series 1 - x/2 avoids 0/0 for vanishing rates
    return np.where(small, 1.0 - 0.5 * x, -np.expm1(-x) / np.where(small, 1.0, x))


# --------------------------------------------------------------------------------------------
# orbit vs ground (claim C04)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EnergyRatio:
    """Annual solar energy of an array in orbit over the same array on the ground.

    Attributes
    ----------
    ground : AnnualEnergy
        The ground reference.
    sunlit_fraction : float
        Annual sunlit fraction of the orbit [-].
    orbit_poa_kwh_m2 : float
        Irradiation on the array in orbit over a year [kWh/m²].
    orbit_dc_yield_kwh_per_kwp : float
        DC energy per kW of STC (AM1.5) rating in orbit, with cell-temperature loss [kWh/kWp].
    ratio_per_m2 : float
        ``orbit_poa_kwh_m2 / ground.poa_kwh_m2`` [-].
    ratio_per_rated_w : float
        ``orbit_dc_yield_kwh_per_kwp / ground.dc_yield_kwh_per_kwp`` (both before system
        losses) [-].
    """

    ground: AnnualEnergy
    sunlit_fraction: float
    orbit_poa_kwh_m2: float
    orbit_dc_yield_kwh_per_kwp: float
    ratio_per_m2: float
    ratio_per_rated_w: float


def orbit_annual_energy_kwh_m2(sunlit_fraction: ArrayLike, *, hours: float,
                               reg: Registry) -> FloatArray:
    """Irradiation on a sun-pointing array in orbit: ``S x sunlit x incidence x hours``.

    Parameters
    ----------
    sunlit_fraction : array_like
        Annual sunlit fraction of the orbit [-].
    hours : float
        Hours in the year [h] (to match the ground reference).
    reg : Registry
        ``solar.solar_constant``, ``solar.space_incidence_factor``.

    Returns
    -------
    numpy.ndarray
        Irradiation [kWh/m²].

    References
    ----------
    .. [1] Kopp & Lean (2011), GRL 38, L01706 (solar constant).
    """
    p = _p(reg)
    f = np.asarray(sunlit_fraction, dtype=np.float64)
    return p["solar_constant"] * p["space_incidence_factor"] * f * hours / WH_PER_KWH


def _configured_sunlit_fraction(reg: Registry, altitude_m: float | None,
                                inclination_rad: float | None, ltan_h: float | None) -> float:
    """Annual sunlit fraction of the given orbit; unset parts come from ``satellite.*``."""
    c = orbit.OrbitConstants.from_registry(reg)
    h = float(reg.si("satellite.altitude")) if altitude_m is None else float(altitude_m)
    if inclination_rad is not None:
        inc, lt = float(inclination_rad), ltan_h
    elif ltan_h is not None or altitude_m is not None or reg.si("satellite.sun_synchronous") >= 0.5:
        inc = float(orbit.sso_inclination_rad(h, constants=c))
        lt = float(reg.si("satellite.ltan")) / SECONDS_PER_HOUR if ltan_h is None else ltan_h
    else:
        inc, lt = float(reg.si("satellite.inclination")), None
    year = orbit.annual_sunlit_fraction(h, inc, ltan_h=lt, constants=c)
    return float(year.mean_sunlit_fraction)  # scalar inputs: a float already


def orbit_vs_ground_energy_ratio(ground: str | GroundSite | AnnualEnergy = "greensboro",
                                 mounting: str = "single_axis", *,
                                 altitude_m: float | None = None,
                                 inclination_rad: float | None = None,
                                 ltan_h: float | None = None,
                                 sunlit_fraction: float | None = None,
                                 reg: Registry) -> EnergyRatio:
    """Annual energy of an array in orbit over the same array at a ground site (claim C04).

    Orbit: solar constant x annual sunlit fraction (from :mod:`terawatt.physics.orbit`) x
    ``solar.space_incidence_factor``; per rated watt also x the temperature factor at
    ``solar.space_cell_temperature``. Ground: :func:`annual_poa_energy_tmy` (or any
    :class:`AnnualEnergy`, e.g. from :func:`annual_energy_clearsky`). Spectral mismatch between
    AM0 and AM1.5 ratings is not modelled (it is within ~10 % for Si and III-V cells).

    Parameters
    ----------
    ground : str, GroundSite or AnnualEnergy
        Ground reference: a shipped TMY site id, or a precomputed year.
    mounting : {"fixed", "single_axis"}
        Ground mounting when ``ground`` is a site.
    altitude_m : float, optional
        Orbit altitude [m]; ``satellite.altitude`` if omitted.
    inclination_rad : float, optional
        Orbit inclination [rad]. If omitted the orbit is sun-synchronous (when an altitude or
        LTAN is given, or ``satellite.sun_synchronous`` is 1), else ``satellite.inclination``.
    ltan_h : float, optional
        LTAN of a sun-synchronous orbit [hour]; ``satellite.ltan`` if omitted.
    sunlit_fraction : float, optional
        Use this annual sunlit fraction instead of computing one [-].
    reg : Registry
        Assumptions (``solar.*``, ``orbit.*``, ``satellite.*``).

    Returns
    -------
    EnergyRatio
        Per m² and per rated W ratios with their parts.

    References
    ----------
    .. [1] B. Agüera y Arcas et al., Project Suncatcher, arXiv:2511.19468, 2025 (up to 8x per
       panel vs mid-latitude ground).
    .. [2] Gilmore (2002), Spacecraft Thermal Control Handbook, ch. 2 (eclipse fraction).
    """
    p = _p(reg)
    g = ground if isinstance(ground, AnnualEnergy) else annual_poa_energy_tmy(ground, mounting,
                                                                              reg=reg)
    if sunlit_fraction is None:
        sunlit_fraction = _configured_sunlit_fraction(reg, altitude_m, inclination_rad, ltan_h)
    orbit_poa = float(orbit_annual_energy_kwh_m2(sunlit_fraction, hours=g.hours, reg=reg))
    t_factor = 1.0 + p["temperature_coefficient"] * (p["space_cell_temperature"]
                                                     - p["stc_cell_temperature"])
    orbit_dc = orbit_poa * WH_PER_KWH / p["stc_irradiance"] * t_factor
    return EnergyRatio(
        ground=g,
        sunlit_fraction=float(sunlit_fraction),
        orbit_poa_kwh_m2=orbit_poa,
        orbit_dc_yield_kwh_per_kwp=orbit_dc,
        ratio_per_m2=orbit_poa / g.poa_kwh_m2,
        ratio_per_rated_w=orbit_dc / g.dc_yield_kwh_per_kwp,
    )
