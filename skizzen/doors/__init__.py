"""Doors: where people and schedulers come in – ``cli`` (typer; ``cli_input`` checks what its
commands take in), ``serve`` (Prefect server, worker and review page as one supervised stack),
``web`` (the review page). Settings are read here, once, and passed down."""
