"""Every JSON the project writes is strict (RFC 8259): no NaN, no Infinity."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import strict_loads

from terawatt.io.jsonsafe import dumps, finite
from terawatt.io.runfolder import write_json

leaves = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(),
                   st.none(), st.booleans())
trees = st.recursive(leaves, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                     st.dictionaries(st.text(), kids,
                                                                     max_size=4)),
                     max_leaves=20)


@given(trees)
def test_any_tree_dumps_as_strict_json_and_keeps_finite_numbers(tree):
    back = strict_loads(dumps(tree))

    def same(a, b):
        if isinstance(a, float) and not math.isfinite(a):
            return b is None
        if isinstance(a, dict):
            return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        return a == b

    assert same(tree, back)


def test_numpy_values_and_files(tmp_path):
    doc = {"a": np.array([1.0, np.inf, np.nan]), "b": np.float64(-np.inf), 3: (np.int64(2),)}
    assert finite(doc) == {"a": [1.0, None, None], "b": None, "3": [2]}
    write_json(tmp_path / "x.json", doc)
    assert strict_loads((tmp_path / "x.json").read_text()) == {"a": [1.0, None, None], "b": None,
                                                           "3": [2]}
