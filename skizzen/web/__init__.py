"""The staff review page (FastAPI + Jinja2), its German labels and form parsing.

``skizzen.web.app.create_app`` builds the application; importing this package itself pulls
in nothing heavy, so ``skizzen.report`` can share the labels.
"""
