"""The stack model: 2026-2040 build-out of AI compute on Earth and in orbit, bottleneck named.

Entry point: :func:`run_stack` (service) returning a :class:`StackResult`; see docs/stack.md.
"""

from terawatt.stack.result import StackResult
from terawatt.stack.service import run_stack

__all__ = ["StackResult", "run_stack"]
