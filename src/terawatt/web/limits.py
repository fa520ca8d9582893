"""Limits of the web explorer: what one request may ask for, and why each bound is where it is.

The server runs the models for anyone who can reach it (loopback by default). Each request's
work is bounded *before* it starts (body size, samples, override count, evaluation points) and
its wall time is bounded while it runs (:data:`REQUEST_TIME_LIMIT_S`).
"""

from __future__ import annotations

#: Largest request body [byte]. The biggest legitimate body is a scenario with an override
#: for every assumption (~350 keys x ~60 characters ~ 21 KiB); 64 KiB leaves room for long
#: descriptions while keeping a hostile upload from filling memory.
MAX_BODY_BYTES = 64 * 1024

#: Most overrides in one request [-]: a little above the number of packaged assumptions (345),
#: so "every key" fits and nothing more does.
MAX_OVERRIDES = 400

#: Most Monte Carlo samples of a stack run started from the web [-]. A central run takes
#: ~50 ms; 1,000 samples take ~0.5 s and ~60 MB (every sector term and marginal gain is kept
#: per sample), which keeps a request interactive and :data:`MODEL_WORKERS` of them in memory.
#: Larger runs: ``terawatt run --samples N`` or ``terawatt sweep``.
MAX_SAMPLES = 1000

#: Wall time one model request may take before it is answered with 503 [s]. The slowest
#: legitimate request is a change of a ``fleet.*`` key, which re-plans the reference robot
#: factory (bounded by ``terawatt.robots.replication.PLAN_TIME_LIMIT_S`` = 10 s) before the
#: stack run; 30 s covers that plus a claims audit (~2.5 s cold).
REQUEST_TIME_LIMIT_S = 30.0

#: Model computations running at once [thread]. Each holds a stack run's arrays (a few MB) and
#: one CPU; a request beyond this waits in the queue (its wait counts against
#: :data:`REQUEST_TIME_LIMIT_S`). A request that timed out keeps its worker until it finishes,
#: so a flood of slow requests cannot start more than this many computations.
MODEL_WORKERS = 2

#: Most points of a verdict-flip scan of one claim over one input [-]. Each point is one
#: evaluation of the claim (with a stack run when the input feeds the stack, ~0.05-0.3 s).
MAX_FLIP_POINTS = 21
#: Points of a flip scan when the request does not say [-]: a flip placed within 1/8 of the
#: input's range, in ~0.5-4 s.
DEFAULT_FLIP_POINTS = 9

#: Longest scenario description in "save as scenario" [character].
MAX_DESCRIPTION_CHARS = 2000

#: Activities shown on a plan's critical path in the runs page [-] (a 1,000,000-activity plan
#: can have a path of thousands; the first and last are the informative ones).
MAX_CRITICAL_PATH_ROWS = 200

#: Plans kept in memory by the runs page [-] (a 1,000,000-activity plan holds ~100 MB).
PLAN_CACHE_SIZE = 2
