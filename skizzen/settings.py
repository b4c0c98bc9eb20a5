"""One settings object, read once at the edge (CLI, flow entry) and passed on as plain values.

Environment variables use the prefix ``SKIZZEN_`` (e.g. ``SKIZZEN_DATABASE_URL``,
``SKIZZEN_DATA_DIR``). Relative paths are resolved against the working directory once, at load
time, so nothing later depends on the current directory by accident.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Prefect and friends must never phone home; set before Prefect is imported anywhere.
OFFLINE_ENV: dict[str, str] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "true"),
}


def apply_offline_env() -> None:
    """Disable telemetry of the libraries we embed (idempotent, keeps explicit user values)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class Settings(BaseSettings):
    """Runtime configuration of skizzen."""

    model_config = SettingsConfigDict(env_prefix="SKIZZEN_", extra="ignore")

    data_dir: Path = Field(default=Path("./var"), description="raw store, caches, Data Docs")
    database_url: str | None = Field(default=None, description="any SQLAlchemy URL")
    source: str | None = Field(
        default=None, description="default mail source (folder/Maildir); default <data_dir>/inbox"
    )
    call_id: str = Field(default="heimat-2.0", description="call (Förderaufruf) of new sketches")
    max_attachment_bytes: int = 10 * 1024 * 1024
    max_decompressed_bytes: int = 256 * 1024 * 1024
    max_pdf_pages: int = 2000
    parse_max_pages: int = 30
    parse_timeout_s: float = 60.0
    parse_max_memory_mb: int = 1536
    confidence_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="fields below it go to review (default: the threshold fitted with the "
        "field model, where held-out fields above it were right 99.5 % of the time)",
    )
    batch_size: int = Field(default=25, ge=1, description="documents per Prefect task")
    # IMAP sources (imap://user@host:port/folder?...); the password itself is never a setting:
    # it comes from the env variable named here or from a Prefect Secret block.
    imap_security: str = Field(default="tls", pattern="^(tls|starttls|plain)$")
    imap_ack: str = Field(default="move", pattern="^(move|flag)$", description="after commit")
    imap_processed_folder: str = "Verarbeitet"
    imap_flag: str = "$SkizzenIngested"
    imap_password_env: str = "SKIZZEN_IMAP_PASSWORD"
    imap_secret_block: str | None = Field(default=None, description="Prefect Secret block name")
    imap_ca_file: str | None = Field(default=None, description="CA bundle for TLS verification")
    imap_batch_size: int = Field(default=20, ge=1, description="messages fetched per command")
    imap_retries: int = Field(default=5, ge=0, description="reconnects per operation")
    imap_backoff_s: float = Field(default=1.0, ge=0.0, description="first reconnect delay")
    imap_timeout_s: float = Field(default=60.0, gt=0.0)
    theme_model_dir: Path | None = Field(
        default=None, description="theme model folder (default: the model shipped in extractors/)"
    )
    field_model: Path | None = Field(
        default=None,
        description="field scorer weights (default: extractors/model/fields.json, shipped)",
    )

    def runtime(self) -> RuntimeConfig:
        """Freeze into the plain, serialisable config that flows pass to tasks."""
        data_dir = self.data_dir.expanduser().resolve()
        url = self.database_url or f"sqlite:///{data_dir / 'skizzen.db'}"
        return RuntimeConfig(
            data_dir=str(data_dir),
            database_url=url,
            default_source=(
                self.source
                if self.source and "://" in self.source  # a server URL, e.g. imap://…
                else str(Path(self.source).expanduser().resolve())
                if self.source
                else str(data_dir / "inbox")
            ),
            call_id=self.call_id,
            max_attachment_bytes=self.max_attachment_bytes,
            max_decompressed_bytes=self.max_decompressed_bytes,
            max_pdf_pages=self.max_pdf_pages,
            parse_max_pages=self.parse_max_pages,
            parse_timeout_s=self.parse_timeout_s,
            parse_max_memory_mb=self.parse_max_memory_mb,
            confidence_threshold=self.confidence_threshold,
            batch_size=self.batch_size,
            imap_security=self.imap_security,
            imap_ack=self.imap_ack,
            imap_processed_folder=self.imap_processed_folder,
            imap_flag=self.imap_flag,
            imap_password_env=self.imap_password_env,
            imap_secret_block=self.imap_secret_block,
            imap_ca_file=self.imap_ca_file,
            imap_batch_size=self.imap_batch_size,
            imap_retries=self.imap_retries,
            imap_backoff_s=self.imap_backoff_s,
            imap_timeout_s=self.imap_timeout_s,
            theme_model_dir=str(self.theme_model_dir.expanduser().resolve())
            if self.theme_model_dir
            else None,
            field_model=str(self.field_model.expanduser().resolve()) if self.field_model else None,
        )


class RuntimeConfig(BaseModel):
    """Resolved, frozen configuration handed from the edge to tasks and domain functions."""

    model_config = ConfigDict(frozen=True)

    data_dir: str
    database_url: str
    default_source: str
    call_id: str
    max_attachment_bytes: int
    max_decompressed_bytes: int
    max_pdf_pages: int
    parse_max_pages: int
    parse_timeout_s: float
    parse_max_memory_mb: int
    confidence_threshold: float | None
    batch_size: int
    imap_security: str = "tls"
    imap_ack: str = "move"
    imap_processed_folder: str = "Verarbeitet"
    imap_flag: str = "$SkizzenIngested"
    imap_password_env: str = "SKIZZEN_IMAP_PASSWORD"
    imap_secret_block: str | None = None
    imap_ca_file: str | None = None
    imap_batch_size: int = 20
    imap_retries: int = 5
    imap_backoff_s: float = 1.0
    imap_timeout_s: float = 60.0
    theme_model_dir: str | None = None
    field_model: str | None = None

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def blob_dir(self) -> Path:
        return self.data_path / "raw"

    @property
    def parse_cache_dir(self) -> Path:
        return self.data_path / "cache" / "parsed"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_path / "data_docs"


def load_runtime(**overrides: object) -> RuntimeConfig:
    """Read settings (env + overrides that are not None) and freeze them."""
    apply_offline_env()
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given).runtime()  # type: ignore[arg-type]
