"""Unit-definition constants, each defined once for the whole project.

These are definitions, not measurements: physical constants and engineering figures with
sources live in the assumptions registry (``assumptions/data/*.toml``).
"""

from __future__ import annotations

#: Seconds per hour [s/h] (SI Brochure, 9th ed., BIPM 2019, Table 8: 1 h = 3,600 s).
SECONDS_PER_HOUR = 3600.0
#: Seconds per day [s/d] (SI Brochure, 9th ed., BIPM 2019, Table 8: 1 d = 86,400 s).
SECONDS_PER_DAY = 86400.0
#: Days per Julian year [d] (IAU 1976 system of astronomical constants; pint's ``yr``).
DAYS_PER_JULIAN_YEAR = 365.25
#: Seconds per Julian year [s], the ``yr`` of the unit registry (365.25 d of 86,400 s).
SECONDS_PER_YEAR = DAYS_PER_JULIAN_YEAR * SECONDS_PER_DAY
#: Joules per kilowatt-hour [J/kWh] (1 kW x 3,600 s).
J_PER_KWH = 1000.0 * SECONDS_PER_HOUR
#: Joules per watt-hour [J/Wh].
J_PER_WH = SECONDS_PER_HOUR
