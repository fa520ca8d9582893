"""Fleet planning: project scheduling (RCPSP with crews) and the robot-fleet orchestrator.

See docs/scheduling.md for the scheduling API (:mod:`terawatt.fleet.problem`,
:mod:`terawatt.fleet.checker`, :mod:`terawatt.fleet.solve`).
"""
