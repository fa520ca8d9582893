"""Economics: USD per watt-year of delivered compute and per million tokens, on Earth and in orbit.

Pure, numpy-vectorised cost models over ``p`` (assumption key -> SI array, from
:meth:`terawatt.assumptions.Registry.sample`), Wright's-law learning curves, crossover year and
break-even values by root-finding, and a one-at-a-time tornado. All money in USD; all arrays in
SI, so a cost per watt-year is held as USD per joule (USD/(W*s)) and converted only at the edges.
"""
