"""The assumptions registry: every parameter with value, unit, range and source.

Load with :func:`load_assumptions` (optionally a scenario and ``--set`` overrides); read values
in SI with ``registry.si("key")`` or in any compatible unit with ``registry.value("key", "t")``.
"""

from terawatt.assumptions.loader import (
    Registry,
    available_scenarios,
    load_assumptions,
    load_registry,
)
from terawatt.assumptions.schema import Assumption, Source

__all__ = [
    "Assumption",
    "Registry",
    "Source",
    "available_scenarios",
    "load_assumptions",
    "load_registry",
]
