"""Layout zoo generator (see model.py for the contract)."""
