"""JSON responses of the API: strict JSON (:mod:`terawatt.io.jsonsafe`: numpy arrays and
scalars as lists and numbers, NaN and infinity as ``null``, dates as ISO text), which every
browser and ``json.loads`` reads."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from terawatt.io.jsonsafe import dumps


class JSON(Response):
    """A JSON response of any object :func:`terawatt.io.jsonsafe.finite` takes (figures with
    numpy arrays included)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content, compact=True).encode()
