"""terawatt: a first-principles simulator and planner for scaling AI compute toward a terawatt."""

__version__ = "0.1.0"
