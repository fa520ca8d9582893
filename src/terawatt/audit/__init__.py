"""Claims audit: each claim of the seed interview (C01-C25) tested against the models.

Claims are declarative entries in ``audit/data/claims.toml`` binding a claim to a registered
model quantity (:mod:`terawatt.audit.quantities`), the claimed value, unit, relation and
tolerance; the verdict is computed by :func:`terawatt.audit.claims.audit`.
"""
