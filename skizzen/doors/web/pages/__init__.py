"""The pages of the review app, one router each (``router(site)``), wired by ``create_app``."""
