"""``terawatt serve``: a local web explorer over the library's service functions.

:func:`terawatt.web.app.create_app` builds the FastAPI application (pages, JSON API, Plotly
served from the installed package); ``terawatt serve`` runs it on uvicorn, bound to loopback by
default. Presentation only: every number comes from the models (stack, economics, audit,
fleet) through the same calls the CLI makes.
"""
