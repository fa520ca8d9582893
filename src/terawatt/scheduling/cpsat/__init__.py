"""OR-Tools CP-SAT model of the project (PyJobShop-style split: variables, constraints,
objective, solver)."""

from terawatt.scheduling.cpsat.solver import solve_cpsat

__all__ = ["solve_cpsat"]
