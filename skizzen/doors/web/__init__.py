"""The staff review page (FastAPI + Jinja2), its German labels and form parsing.

``skizzen.doors.web.app.create_app`` builds the application; importing this package itself pulls
in nothing heavy, so ``skizzen.outputs.report`` can share the labels.
"""
