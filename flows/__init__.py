"""Prefect flows: orchestration only. Telemetry is switched off before Prefect loads."""

from skizzen.settings import apply_offline_env

apply_offline_env()
