"""The stack model: 2026-2040 build-out of AI compute on Earth and in orbit, bottleneck named.

Entry point: :func:`run_stack` (service) returning a :class:`StackResult`; the chip allocation
policy is its ``allocation`` argument, one of :data:`ALLOCATION_POLICIES` (default
:data:`DEFAULT_POLICY`); see docs/stack.md.
"""

from terawatt.stack.allocation import DEFAULT_POLICY
from terawatt.stack.result import StackResult
from terawatt.stack.service import ALLOCATION_POLICIES, run_stack

__all__ = ["ALLOCATION_POLICIES", "DEFAULT_POLICY", "StackResult", "run_stack"]
