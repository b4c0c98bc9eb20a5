"""Doors: where people and schedulers come in – ``cli`` (typer), ``serve`` (Prefect server,
worker and review page as one supervised stack), ``web`` (the review page). Settings are
read here, once, and passed down."""
