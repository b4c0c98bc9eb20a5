"""One settings object: every option read from the environment reaches the frozen config."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from skizzen.settings import Options, RuntimeConfig, Settings, load_runtime

# a value other than the default, per type of option
_OTHER = {
    "call_id": "anderer-aufruf",
    "imap_security": "starttls",
    "imap_ack": "flag",
    "imap_processed_folder": "Erledigt",
    "imap_flag": "$Anders",
    "imap_password_env": "ANDERES_PW",
    "imap_secret_block": "geheim",
    "imap_ca_file": "/etc/ca.pem",
    "confidence_threshold": 0.5,
    "cookie_secure": True,
    "trusted_proxies": "127.0.0.1",
    "parse_workers": 3,
    "reuse_analysis": False,
    "web_base_url": "https://pruefung.example.de",
}


@pytest.mark.parametrize("name", sorted(Options.model_fields), ids=str)
def test_every_option_from_the_environment_reaches_the_config(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = Options.model_fields[name].default
    value = _OTHER.get(name, default * 2 if isinstance(default, int | float) else default)
    assert value != default, f"no other value for {name}"
    monkeypatch.setenv(
        f"SKIZZEN_{name.upper()}", str(value).lower() if value is True else str(value)
    )
    config = load_runtime(data_dir=tmp_path)
    assert getattr(config, name) == value
    assert getattr(RuntimeConfig.model_construct(), name) == default  # one default, shared


def test_paths_are_resolved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = Settings(data_dir=Path("daten"), source="eingang").runtime()
    assert config.data_dir == str(tmp_path / "daten")
    assert config.default_source == str(tmp_path / "eingang")
    assert config.database_url == f"sqlite:///{tmp_path / 'daten' / 'skizzen.db'}"
    assert Settings(source="imap://u@h/INBOX").runtime().default_source == "imap://u@h/INBOX"


@pytest.mark.parametrize(
    ("name", "value"),
    [("batch_size", "0"), ("imap_ack", "delete"), ("confidence_threshold", "1.5")],
    ids=["batch-zero", "unknown-ack", "threshold-above-one"],
)
def test_out_of_bounds_settings_are_refused(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"SKIZZEN_{name.upper()}", value)
    with pytest.raises(ValidationError):
        load_runtime()


def test_the_config_is_frozen(tmp_path: Path) -> None:
    config = load_runtime(data_dir=tmp_path)
    with pytest.raises(ValidationError):
        config.batch_size = 3  # type: ignore[misc]


def test_limits_take_their_defaults_and_values_from_the_settings(tmp_path: Path) -> None:
    from skizzen.documents.parsing import ParseLimits
    from skizzen.intake.triage import TriageLimits

    default = load_runtime(data_dir=tmp_path)
    assert TriageLimits() == TriageLimits.from_config(default)
    assert ParseLimits() == ParseLimits.from_config(default)
    config = default.model_copy(
        update={"max_decompressed_bytes": 7, "max_pdf_pages": 3, "parse_max_memory_mb": 99}
    )
    assert TriageLimits.from_config(config).max_decompressed_bytes == 7
    assert TriageLimits.from_config(config).max_pages == 3
    assert ParseLimits.from_config(config).max_memory_mb == 99
