"""Compiled heuristics for large projects: schedule-generation schemes, sampling, justification
and a genetic algorithm (see :mod:`terawatt.scheduling.heuristic.search`)."""

from terawatt.scheduling.heuristic.search import prepare, priority, search

__all__ = ["prepare", "priority", "search"]
