"""Circular Earth orbits: period, J2 nodal precession, sun-synchronous inclination, the solar
beta angle over a year and the fraction of each orbit spent in sunlight.

Geometry (cylindrical Earth shadow, circular orbit of altitude ``h``, Earth radius ``R``):

* orbit normal in equatorial coordinates ``n = (sin i sin RAAN, -sin i cos RAAN, cos i)``;
  the beta angle is the angle between the orbit plane and the Sun direction,
  ``beta = asin(n . s_sun)``;
* the orbit is eclipsed for part of each revolution when ``|beta| < beta* = asin(R / (R + h))``,
  for the fraction ``f_E = arccos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi``;
* the ascending node precesses at ``dRAAN/dt = -3/2 n J2 (R/p)^2 cos i`` (J2 secular rate); a
  sun-synchronous orbit chooses ``i`` so that this equals the Sun's mean motion, so its local
  time of ascending node (LTAN) stays fixed.

All constants (mu, R, J2, the almanac Sun coefficients) come from ``orbit.toml`` through
:class:`OrbitConstants` (:meth:`OrbitConstants.from_registry`); every function that needs them
takes ``constants=`` (required). Pure and numpy-vectorised; SI in and out except where a name
says otherwise (``days`` since J2000.0, ``ltan_h`` in hours).

References
----------
.. [1] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., Microcosm
   Press, 2013: eq. 9-41 (J2 nodal rate), section 11.4 (sun-synchronous orbits), section 5.3
   (eclipse geometry).
.. [2] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook, Vol. I*, 2nd ed., Aerospace
   Corporation / AIAA, 2002, ch. 2 (beta angle; eclipse fraction of a circular orbit).
   https://doi.org/10.2514/4.989117
.. [3] NASA, "Beta angle" (ISS Flight Operations; Rickman, "Introduction to Orbital Mechanics
   and Spacecraft Attitudes for Thermal Engineers", NASA TFAWS 2014):
   ``beta = asin(cos G sin RAAN sin i - sin G cos e cos RAAN sin i + sin G sin e cos i)``.
   https://tfaws.nasa.gov/wp-content/uploads/Rickman-Presentation.pdf
.. [4] The Astronomical Almanac, section C, low-precision formulas for the Sun (USNO),
   https://aa.usno.navy.mil/faq/sun_approx
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from terawatt.constants import SECONDS_PER_DAY, SECONDS_PER_HOUR

if TYPE_CHECKING:
    from terawatt.assumptions import Registry

FloatArray = NDArray[np.float64]

#: Assumption keys read by :meth:`OrbitConstants.from_registry` (all in ``orbit.toml``).
ORBIT_CONSTANT_KEYS: tuple[str, ...] = (
    "orbit.earth_mu",
    "orbit.earth_equatorial_radius",
    "orbit.earth_j2",
    "orbit.sun_mean_longitude_j2000",
    "orbit.sun_mean_longitude_rate",
    "orbit.sun_mean_anomaly_j2000",
    "orbit.sun_mean_anomaly_rate",
    "orbit.sun_equation_of_centre_1",
    "orbit.sun_equation_of_centre_2",
    "orbit.obliquity_j2000",
    "orbit.obliquity_rate",
    "orbit.epoch",
)


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class OrbitConstants:
    """Earth gravity and almanac-Sun constants in SI (rad, s, m), from ``orbit.toml``."""

    earth_mu_m3_s2: float
    earth_radius_m: float
    earth_j2: float
    sun_mean_longitude_j2000_rad: float
    sun_mean_longitude_rate_rad_s: float
    sun_mean_anomaly_j2000_rad: float
    sun_mean_anomaly_rate_rad_s: float
    sun_equation_of_centre_1_rad: float
    sun_equation_of_centre_2_rad: float
    obliquity_j2000_rad: float
    obliquity_rate_rad_s: float
    epoch_s: float

    def __post_init__(self) -> None:
        for name in ("earth_mu_m3_s2", "earth_radius_m", "sun_mean_longitude_rate_rad_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"OrbitConstants.{name} must be positive")

    @classmethod
    def from_registry(cls, reg: Registry) -> OrbitConstants:
        """Read the ``orbit.*`` constants of a registry (scenario overrides included)."""
        v = [float(reg.si(k)) for k in ORBIT_CONSTANT_KEYS]
        return cls(*v)

    @property
    def tropical_year_s(self) -> float:
        """Length of the tropical year, 2 pi / (Sun's mean-longitude rate) [s]."""
        return 2.0 * np.pi / self.sun_mean_longitude_rate_rad_s

    @property
    def epoch_day_j2000(self) -> float:
        """Start of the modelled year [day from J2000.0]."""
        return self.epoch_s / SECONDS_PER_DAY


# --------------------------------------------------------------------------------------------
# two-body + J2
# --------------------------------------------------------------------------------------------
def orbital_period_s(altitude_m: ArrayLike, *,
                     constants: OrbitConstants) -> FloatArray:
    """Period of a circular orbit, ``T = 2 pi sqrt(a^3 / mu)`` with ``a = R + h``.

    Parameters
    ----------
    altitude_m : array_like
        Altitude above the equatorial radius [m].
    constants : OrbitConstants
        mu and R [m^3/s^2, m] (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    numpy.ndarray
        Orbital period [s].

    References
    ----------
    .. [1] Vallado (2013), Fundamentals of Astrodynamics and Applications, eq. 2-26.
    """
    c = constants
    a = c.earth_radius_m + _f(altitude_m)
    return 2.0 * np.pi * np.sqrt(a**3 / c.earth_mu_m3_s2)


def nodal_precession_rate_rad_s(altitude_m: ArrayLike, inclination_rad: ArrayLike,
                                eccentricity: ArrayLike = 0.0, *,
                                constants: OrbitConstants) -> FloatArray:
    """Secular RAAN drift from J2: ``-3/2 n J2 (R/p)^2 cos i``.

    Parameters
    ----------
    altitude_m : array_like
        Altitude of the semi-major axis above the equatorial radius [m].
    inclination_rad : array_like
        Inclination [rad].
    eccentricity : array_like, optional
        Eccentricity [dimensionless]; 0 (circular) by default, the case this module models.
    constants : OrbitConstants
        mu, R, J2 (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    numpy.ndarray
        Rate of change of the right ascension of the ascending node [rad/s].

    References
    ----------
    .. [1] Vallado (2013), Fundamentals of Astrodynamics and Applications, eq. 9-41.
    """
    c = constants
    a = c.earth_radius_m + _f(altitude_m)
    e = _f(eccentricity)
    n = np.sqrt(c.earth_mu_m3_s2 / a**3)
    p = a * (1.0 - e * e)
    return -1.5 * n * c.earth_j2 * (c.earth_radius_m / p) ** 2 * np.cos(_f(inclination_rad))


def sso_inclination_rad(altitude_m: ArrayLike, eccentricity: ArrayLike = 0.0, *,
                        constants: OrbitConstants) -> FloatArray:
    """Inclination at which J2 precession matches the Sun's mean motion (sun-synchronous).

    ``cos i = -(dL_sun/dt) / (3/2 n J2 (R/p)^2)``. Where no such inclination exists (above
    about 5,970 km) the result is NaN.

    Parameters
    ----------
    altitude_m : array_like
        Altitude of the semi-major axis above the equatorial radius [m].
    eccentricity : array_like, optional
        Eccentricity [dimensionless]; 0 (circular) by default.
    constants : OrbitConstants
        mu, R, J2 and the Sun's mean-longitude rate (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    numpy.ndarray
        Sun-synchronous inclination [rad] (retrograde, a little above 90 deg).

    References
    ----------
    .. [1] Vallado (2013), Fundamentals of Astrodynamics and Applications, section 11.4,
       eq. 11-17 and Fig. 11-16 (SSO inclination vs altitude).
    """
    c = constants
    rate_at_cos1 = -nodal_precession_rate_rad_s(altitude_m, 0.0, eccentricity, constants=c)
    cos_i = -c.sun_mean_longitude_rate_rad_s / rate_at_cos1
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(cos_i) <= 1.0, np.arccos(np.clip(cos_i, -1.0, 1.0)), np.nan)


# --------------------------------------------------------------------------------------------
# the Sun
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SunPosition:
    """Apparent Sun from the almanac formulas, one entry per requested day.

    Attributes: ``days`` [day from J2000.0], ``ecliptic_longitude_rad``, ``obliquity_rad``,
    ``right_ascension_rad``, ``declination_rad`` and ``mean_longitude_rad`` (the mean Sun that a
    sun-synchronous node follows) [rad].
    """

    days: FloatArray
    ecliptic_longitude_rad: FloatArray
    obliquity_rad: FloatArray
    right_ascension_rad: FloatArray
    declination_rad: FloatArray
    mean_longitude_rad: FloatArray


def sun_position_series(days: ArrayLike, *,
                        constants: OrbitConstants) -> SunPosition:
    """Sun's ecliptic longitude, obliquity and equatorial coordinates (low precision).

    ``L = L0 + L' n``, ``g = g0 + g' n``, ``lambda = L + C1 sin g + C2 sin 2g``,
    ``eps = eps0 + eps' n``; accurate to about 0.01 deg from 1950 to 2050.

    Parameters
    ----------
    days : array_like
        Time as days from J2000.0 (JD 2451545.0, TT) [day].
    constants : OrbitConstants
        Almanac coefficients (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    SunPosition
        Ecliptic longitude, obliquity, right ascension, declination, mean longitude [rad].

    References
    ----------
    .. [1] The Astronomical Almanac, section C, "Low precision formulas for the Sun",
       U.S. Naval Observatory, https://aa.usno.navy.mil/faq/sun_approx
    """
    c = constants
    d = _f(days)
    t_s = d * SECONDS_PER_DAY
    mean_lon = c.sun_mean_longitude_j2000_rad + c.sun_mean_longitude_rate_rad_s * t_s
    g = c.sun_mean_anomaly_j2000_rad + c.sun_mean_anomaly_rate_rad_s * t_s
    lam = (mean_lon + c.sun_equation_of_centre_1_rad * np.sin(g)
           + c.sun_equation_of_centre_2_rad * np.sin(2.0 * g))
    eps = c.obliquity_j2000_rad + c.obliquity_rate_rad_s * t_s
    ra = np.arctan2(np.cos(eps) * np.sin(lam), np.cos(lam))
    dec = np.arcsin(np.sin(eps) * np.sin(lam))
    two_pi = 2.0 * np.pi
    return SunPosition(d, np.mod(lam, two_pi), eps, np.mod(ra, two_pi), dec,
                       np.mod(mean_lon, two_pi))


def beta_angle_rad(inclination_rad: ArrayLike, raan_rad: ArrayLike,
                   sun_ecliptic_lon_rad: ArrayLike, obliquity_rad: ArrayLike) -> FloatArray:
    """Solar beta angle: elevation of the Sun above the orbit plane.

    ``beta = asin(cos G sin O sin i - sin G cos e cos O sin i + sin G sin e cos i)`` with ``G``
    the Sun's ecliptic longitude, ``O`` the RAAN, ``e`` the obliquity.

    Parameters
    ----------
    inclination_rad : array_like
        Orbit inclination [rad].
    raan_rad : array_like
        Right ascension of the ascending node, same equinox as the Sun longitude [rad].
    sun_ecliptic_lon_rad : array_like
        Sun's apparent ecliptic longitude [rad].
    obliquity_rad : array_like
        Obliquity of the ecliptic [rad].

    Returns
    -------
    numpy.ndarray
        Beta angle, positive when the Sun is on the orbit-normal side [rad], in [-pi/2, pi/2].

    References
    ----------
    .. [1] Rickman, "Introduction to Orbital Mechanics and Spacecraft Attitudes for Thermal
       Engineers", NASA TFAWS 2014 (beta angle formula).
    .. [2] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2.
    """
    i = _f(inclination_rad)
    o = _f(raan_rad)
    g = _f(sun_ecliptic_lon_rad)
    e = _f(obliquity_rad)
    s = (np.cos(g) * np.sin(o) * np.sin(i) - np.sin(g) * np.cos(e) * np.cos(o) * np.sin(i)
         + np.sin(g) * np.sin(e) * np.cos(i))
    beta: FloatArray = np.arcsin(np.clip(s, -1.0, 1.0))  # numpy's stubs: clip gives Any
    return beta


# --------------------------------------------------------------------------------------------
# eclipses
# --------------------------------------------------------------------------------------------
def critical_beta_rad(altitude_m: ArrayLike, *,
                      constants: OrbitConstants) -> FloatArray:
    """Beta angle above which a circular orbit sees no eclipse: ``asin(R / (R + h))``.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    constants : OrbitConstants
        Earth radius (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    numpy.ndarray
        Critical beta angle [rad].

    References
    ----------
    .. [1] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2.
    """
    c = constants
    r = c.earth_radius_m
    return np.arcsin(r / (r + np.maximum(_f(altitude_m), 0.0)))


def eclipse_fraction(altitude_m: ArrayLike, beta_rad: ArrayLike, *,
                     constants: OrbitConstants) -> FloatArray:
    """Fraction of a circular orbit in the Earth's (cylindrical) shadow.

    ``f_E = arccos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi`` for ``|beta| < beta*``,
    else 0.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    beta_rad : array_like
        Solar beta angle [rad].
    constants : OrbitConstants
        Earth radius (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    numpy.ndarray
        Eclipse fraction of the orbital period [dimensionless], in [0, 0.5].

    References
    ----------
    .. [1] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2, eq. for the
       eclipse fraction of a circular orbit with a cylindrical shadow.
    .. [2] Rickman, NASA TFAWS 2014, "Introduction to Orbital Mechanics ... for Thermal
       Engineers" (same expression).
    """
    c = constants
    r = c.earth_radius_m
    h = np.maximum(_f(altitude_m), 0.0)
    cos_b = np.abs(np.cos(_f(beta_rad)))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.sqrt(h * h + 2.0 * r * h) / ((r + h) * cos_b)
    # x >= 1 exactly when |beta| >= beta*: no eclipse.
    x = np.where(np.isfinite(x), x, 1.0)
    return np.arccos(np.clip(x, -1.0, 1.0)) / np.pi


def sunlit_fraction(altitude_m: ArrayLike, beta_rad: ArrayLike, *,
                    constants: OrbitConstants) -> FloatArray:
    """Fraction of a circular orbit in sunlight, ``1 - eclipse_fraction`` [dimensionless].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    beta_rad : array_like
        Solar beta angle [rad].
    constants : OrbitConstants
        Earth radius (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    numpy.ndarray
        Sunlit fraction [dimensionless], in [0.5, 1].

    References
    ----------
    .. [1] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2.
    """
    return 1.0 - eclipse_fraction(altitude_m, beta_rad, constants=constants)


# --------------------------------------------------------------------------------------------
# a year in orbit
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SunlitYear:
    """Sunlight over a year for one circular orbit, or an array of orbits.

    The summary fields are Python floats when every orbit input was a scalar, otherwise arrays
    of the broadcast input shape ``S``.

    Attributes
    ----------
    mean_sunlit_fraction : float or numpy.ndarray
        Time-average sunlit fraction over the year [dimensionless].
    min_sunlit_fraction : float or numpy.ndarray
        Sunlit fraction of the darkest orbit [dimensionless].
    eclipse_days_per_year : float or numpy.ndarray
        Days of the year on which the orbit passes through the shadow [day].
    max_eclipse_duration_s : float or numpy.ndarray
        Longest single eclipse [s].
    orbital_period_s : float or numpy.ndarray
        Orbital period [s].
    beta_rad : numpy.ndarray
        Beta angle at each sampled instant, shape ``S + (n_days,)`` [rad].
    days : numpy.ndarray
        Sampled instants as days from J2000.0, shape ``(n_days,)`` [day].
    """

    mean_sunlit_fraction: float | FloatArray
    min_sunlit_fraction: float | FloatArray
    eclipse_days_per_year: float | FloatArray
    max_eclipse_duration_s: float | FloatArray
    orbital_period_s: float | FloatArray
    beta_rad: FloatArray
    days: FloatArray

    def __post_init__(self) -> None:
        lo = np.asarray(self.min_sunlit_fraction)
        mean = np.asarray(self.mean_sunlit_fraction)
        if not (np.all(lo >= 0.0) and np.all(lo <= mean + 1e-12) and np.all(mean <= 1.0)):
            raise ValueError("sunlit fractions must satisfy 0 <= min <= mean <= 1")


def raan_series_rad(days: ArrayLike, altitude_m: ArrayLike, inclination_rad: ArrayLike,
                    ltan_h: ArrayLike | None = None, raan_rad: ArrayLike | None = None, *,
                    constants: OrbitConstants) -> FloatArray:
    """RAAN of circular orbits at each instant.

    With ``ltan_h`` the orbit is taken as sun-synchronous (its node follows the mean Sun):
    ``RAAN = L_sun + (LTAN - 12 h) * 2 pi / 24 h``. Otherwise the node starts at ``raan_rad``
    (0 if omitted) at ``days[0]`` and drifts at the J2 rate for the given inclination.

    Parameters
    ----------
    days : array_like
        Instants as days from J2000.0, shape ``(n,)`` [day].
    altitude_m : array_like
        Altitude [m], broadcast with the other orbit inputs to shape ``S``.
    inclination_rad : array_like
        Inclination [rad].
    ltan_h : array_like, optional
        Local time of the ascending node [hour] (sun-synchronous orbits).
    raan_rad : array_like, optional
        RAAN at ``days[0]`` [rad] (non-sun-synchronous orbits).
    constants : OrbitConstants
        Earth and almanac-Sun constants (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    numpy.ndarray
        RAAN [rad], shape ``S + (n,)``.

    References
    ----------
    .. [1] Vallado (2013), Fundamentals of Astrodynamics and Applications, section 11.4
       (LTAN of a sun-synchronous orbit).
    """
    c = constants
    d = _f(days).reshape(-1)
    if ltan_h is not None:
        mean_lon = sun_position_series(d, constants=c).mean_longitude_rad
        hour_angle = (_f(ltan_h) * SECONDS_PER_HOUR / SECONDS_PER_DAY - 0.5) * 2.0 * np.pi
        shape = np.broadcast_shapes(np.shape(altitude_m), np.shape(inclination_rad),
                                    hour_angle.shape)
        out = mean_lon + np.broadcast_to(hour_angle, shape)[..., None]
        return np.mod(out, 2.0 * np.pi)
    rate = nodal_precession_rate_rad_s(altitude_m, inclination_rad, constants=c)
    start = np.zeros(()) if raan_rad is None else _f(raan_rad)
    shape = np.broadcast_shapes(rate.shape, start.shape)
    t0 = d[0] if d.size else 0.0
    dt_s = (d - t0) * SECONDS_PER_DAY
    out = (np.broadcast_to(start, shape)[..., None]
           + np.broadcast_to(rate, shape)[..., None] * dt_s)
    return np.mod(out, 2.0 * np.pi)


def _scalar_or_array(x: FloatArray, scalar: bool) -> float | FloatArray:
    return float(x) if scalar else x


def annual_sunlit_fraction(altitude_m: ArrayLike, inclination_rad: ArrayLike,
                           ltan_h: ArrayLike | None = None, raan_rad: ArrayLike | None = None,
                           n_days: int = 365, *, epoch_day_j2000: float | None = None,
                           constants: OrbitConstants) -> SunlitYear:
    """Sunlit fraction of circular orbits averaged over one tropical year (vectorised).

    The year (starting at ``epoch_day_j2000``, default ``orbit.epoch``) is sampled at
    ``n_days`` evenly spaced instants; at each the Sun comes from the almanac formulas, the
    RAAN from :func:`raan_series_rad` (fixed LTAN for a sun-synchronous orbit, J2 drift
    otherwise), the beta angle from :func:`beta_angle_rad` and the eclipse from
    :func:`eclipse_fraction`. Orbit inputs broadcast to a shape ``S`` (e.g. Monte Carlo
    samples); the year is a trailing axis.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    inclination_rad : array_like
        Inclination [rad].
    ltan_h : array_like, optional
        Local time of the ascending node [hour]; given = sun-synchronous (18 or 6 = dawn-dusk).
    raan_rad : array_like, optional
        RAAN at the start of the year [rad] for non-sun-synchronous orbits (default 0; over a
        year an inclined LEO shell's node sweeps all RAANs several times, so it matters little).
    n_days : int, optional
        Number of samples over the year [dimensionless]; 365 = one per day.
    epoch_day_j2000 : float, optional
        Start of the year [day from J2000.0]; ``orbit.epoch`` if omitted.
    constants : OrbitConstants
        Earth and almanac-Sun constants (:meth:`OrbitConstants.from_registry`).

    Returns
    -------
    SunlitYear
        Mean and minimum sunlit fraction, eclipse days per year, longest eclipse, period.

    References
    ----------
    .. [1] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2.
    .. [2] Rickman, NASA TFAWS 2014 (beta angle and eclipse over the year).
    """
    if n_days < 1:
        raise ValueError(f"n_days must be >= 1, got {n_days}")
    c = constants
    start = c.epoch_day_j2000 if epoch_day_j2000 is None else float(epoch_day_j2000)
    year_days = c.tropical_year_s / SECONDS_PER_DAY
    days = start + np.arange(n_days, dtype=np.float64) * (year_days / n_days)
    alt = _f(altitude_m)
    inc = _f(inclination_rad)
    extra = [np.shape(x) for x in (ltan_h, raan_rad) if x is not None]
    shape = np.broadcast_shapes(alt.shape, inc.shape, *extra)
    scalar = shape == ()
    sun = sun_position_series(days, constants=c)
    raan = raan_series_rad(days, alt, inc, ltan_h, raan_rad, constants=c)
    beta = beta_angle_rad(np.broadcast_to(inc, shape)[..., None], raan,
                          sun.ecliptic_longitude_rad, sun.obliquity_rad)
    f_ecl = eclipse_fraction(np.broadcast_to(alt, shape)[..., None], beta, constants=c)
    period = np.broadcast_to(orbital_period_s(alt, constants=c), shape)
    sunlit = 1.0 - f_ecl
    return SunlitYear(
        mean_sunlit_fraction=_scalar_or_array(np.mean(sunlit, axis=-1), scalar),
        min_sunlit_fraction=_scalar_or_array(np.min(sunlit, axis=-1), scalar),
        eclipse_days_per_year=_scalar_or_array(
            np.count_nonzero(f_ecl > 0.0, axis=-1) * year_days / n_days, scalar),
        max_eclipse_duration_s=_scalar_or_array(np.max(f_ecl, axis=-1) * period, scalar),
        orbital_period_s=_scalar_or_array(np.array(period), scalar),
        beta_rad=beta,
        days=days,
    )
