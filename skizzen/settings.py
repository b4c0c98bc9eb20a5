"""One settings object, read once at the edge (CLI, flow entry) and passed on as plain values.

Environment variables use the prefix ``SKIZZEN_`` (e.g. ``SKIZZEN_DATABASE_URL``,
``SKIZZEN_DATA_DIR``). Relative paths are resolved against the working directory once, at load
time, so nothing later depends on the current directory by accident.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Prefect and friends must never phone home; set before Prefect is imported anywhere.
OFFLINE_ENV: dict[str, str] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "true"),
    # the temporary server of a run without PREFECT_API_URL starts in 6–13 s on an idle
    # 2-core machine, but Prefect's default wait (20 s) is too short while the machine is busy
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def apply_offline_env() -> None:
    """Disable telemetry of the libraries we embed (idempotent, keeps explicit user values)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


# --- no secret in a URL -----------------------------------------------------------------------
# A URL reaches Prefect's flow-run parameters (the config, the mail source), its logs and the
# run summary; so a password never sits in one: the database password comes from
# SKIZZEN_DATABASE_PASSWORD (or libpq's PGPASSWORD / ~/.pgpass), the IMAP password from
# SKIZZEN_IMAP_PASSWORD or a Prefect Secret block, each read where the connection is made.

_PASSWORD_IN_URL = r"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#]*:[^/?#@]+@"
"""``scheme://user:password@…``: a non-empty password in the authority (``user:@host`` and
``host:port`` are none). One expression for Python and for JSON Schema (ECMA) alike."""
NO_PASSWORD_PATTERN = f"^(?!{_PASSWORD_IN_URL})"
"""JSON Schema ``pattern`` of URL parameters: the Prefect server refuses a flow run whose
parameters break it (deployments enforce their parameter schema), before storing them."""

SECRET_TEXTS = {
    "database": "Die Datenbank-URL darf kein Passwort enthalten ({url}): das Passwort in "
    "SKIZZEN_DATABASE_PASSWORD setzen (oder in ~/.pgpass).",
    "source": "Die Mail-Quelle darf kein Passwort enthalten ({url}): das Passwort in "
    "SKIZZEN_IMAP_PASSWORD setzen (oder einen Prefect-Secret-Block nennen: …&secret=NAME).",
}


class PasswordInUrl(Exception):
    """A URL with a password, refused before it can reach a flow run: one German line that
    names the URL without its password.

    Not a ValueError on purpose: in a validator pydantic would wrap one in a ValidationError
    whose message repeats the input, the URL with its password (and Prefect logs it)."""


def has_password(url: str) -> bool:
    """Whether ``url`` carries a (non-empty) password."""
    return re.match(_PASSWORD_IN_URL, url.strip()) is not None


def redact_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages)."""
    m = re.match(r"(\s*[A-Za-z][A-Za-z0-9+.\-]*://)([^/?#]*)(.*)", url, re.DOTALL)
    if m is None:
        return url
    head, authority, rest = m.groups()
    userinfo, at, host = authority.rpartition("@")  # the last "@" ends the user part
    if not at or ":" not in userinfo:
        return url
    return f"{head}{userinfo.split(':', 1)[0]}:***@{host}{rest}"


def refuse_password(url: str, kind: Literal["database", "source"]) -> str:
    """``url`` unchanged, or :class:`PasswordInUrl` if it holds a password."""
    if has_password(url):
        raise PasswordInUrl(SECRET_TEXTS[kind].format(url=redact_url(url)))
    return url


class Options(BaseModel):
    """The plain settings, with their defaults and bounds, defined once: ``Settings`` reads
    them from the environment, ``RuntimeConfig`` carries them frozen."""

    call_id: str = Field(default="heimat-2.0", description="call (Förderaufruf) of new sketches")
    max_attachment_bytes: int = 10 * 1024 * 1024
    max_decompressed_bytes: int = 256 * 1024 * 1024
    container_max_members: int = Field(
        default=200, ge=1, description="files opened per ZIP archive or winmail.dat"
    )
    container_max_ratio: float = Field(
        default=100.0,
        gt=1.0,
        description="largest packing ratio of a ZIP member over 1 MB (above: a ZIP bomb)",
    )
    container_max_depth: int = Field(
        default=3, ge=1, le=10, description="containers inside containers opened"
    )
    mime_max_depth: int = Field(
        default=50,
        ge=2,
        le=400,
        description="MIME nesting a mail may have (multiparts and forwarded messages); "
        "deeper parts are left unread, the mail and everything above them kept",
    )
    convert_timeout_s: float = Field(
        default=120.0, gt=0, description="longest LibreOffice conversion of one document"
    )
    convert_max_memory_mb: int = Field(
        default=4096, ge=512, description="address space of one LibreOffice conversion"
    )
    ocr_page_timeout_s: float = Field(
        default=60.0, gt=0, description="longest Tesseract run on one scanned page"
    )
    ocr_max_pages: int = Field(default=30, ge=1, description="pages of a scan read by OCR")
    max_pdf_pages: int = 2000
    parse_max_pages: int = 30
    parse_timeout_s: float = 60.0
    parse_max_memory_mb: int = 1536
    parse_workers: int | None = Field(
        default=None,
        ge=1,
        description="sandboxed parse workers, and as many extraction workers (default: the "
        "core count)",
    )
    extract_timeout_s: float = Field(
        default=120.0, gt=0, description="time limit of one sketch's extraction in its worker"
    )
    dask_workers: int = Field(
        default=2,
        ge=1,
        description="worker processes of the local Dask cluster (task_runner=dask); each "
        "gets its share of the parse and extraction workers",
    )
    dask_batch_size: int = Field(
        default=100,
        ge=1,
        description="documents per Prefect task on the Dask cluster: a Dask task costs about "
        "0.2 s of CPU in bookkeeping (its context pickled in the flow, a task engine and an "
        "API client in the worker), a thread's about 35 ms",
    )
    reuse_analysis: bool = Field(
        default=True,
        description="reuse a sketch's analysis made by the same extractor code, models and "
        "library versions (false: a rerun extracts every sketch again)",
    )
    confidence_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="fields below it go to review (default: the threshold fitted with the "
        "field model, where held-out fields above it were right 99.5 % of the time)",
    )
    batch_size: int = Field(default=25, ge=1, description="documents per Prefect task")
    lease_seconds: float = Field(
        default=900.0,
        gt=0,
        description="how long a run's claim on a message or sketch holds (a claim of a process "
        "that is gone on the same host is taken over at once)",
    )
    abandoned_run_hours: float = Field(
        default=24.0,
        gt=0,
        description="a run started on another host that still says running after this many "
        "hours is marked abandoned by the next run (one on this host whose process is gone "
        "at once)",
    )
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
    # the review page
    session_idle_minutes: float = Field(default=30, gt=0, description="logout after inactivity")
    session_absolute_hours: float = Field(default=8, gt=0, description="logout after login")
    web_base_url: str = Field(
        default="http://127.0.0.1:8080",
        description="address of the review page as staff open it: run summaries link each "
        "sketch to <web_base_url>/skizze/<id>",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Secure flag of the cookies: auto (None, the default) = when the request "
        "came over HTTPS, always (true), never (false)",
    )
    trusted_proxies: str = Field(
        default="",
        description="comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-Proto and X-Forwarded-For are believed (HTTPS and the client address "
        "behind a proxy); empty: none",
    )
    # failed logins counted in a moving window; beyond the limit (or during the growing wait
    # after the third failure) an attempt is answered 429 without checking the password
    login_failures_per_account: int = Field(
        default=5, ge=1, description="failed logins per user name in the window"
    )
    login_failures_per_address: int = Field(
        default=20, ge=1, description="failed logins per client address in the window"
    )
    login_window_minutes: int = Field(default=15, ge=1, description="window of the login limits")
    login_delay_max_s: float = Field(
        default=30.0, ge=0, description="longest wait after a failed login (1, 2, 4, … s)"
    )

    @field_validator("cookie_secure", mode="before")
    @classmethod
    def _cookie_secure_words(cls, value: object) -> object:
        """``SKIZZEN_COOKIE_SECURE=auto|always|never`` as documented; true/false also work."""
        if isinstance(value, str):
            words = {"": None, "auto": None, "always": True, "never": False}
            return words.get(value.strip().lower(), value)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        """A typo must not silently trust nobody (or a name that anybody can claim)."""
        for item in filter(None, (part.strip() for part in value.split(","))):
            ipaddress.ip_network(item, strict=False)  # ValueError: not an address or network
        return value


class Settings(Options, BaseSettings):
    """Runtime configuration of skizzen, as the environment gives it (prefix ``SKIZZEN_``)."""

    model_config = SettingsConfigDict(env_prefix="SKIZZEN_", extra="ignore")

    data_dir: Path = Field(default=Path("./var"), description="raw store, caches, Data Docs")
    database_url: str | None = Field(
        default=None, description="any SQLAlchemy URL, without a password (refused)"
    )
    database_password: SecretStr | None = Field(
        default=None,
        description="password of the database user, added when the engine connects (never "
        "part of the URL, the config or a flow's parameters; libpq's ~/.pgpass works too)",
    )
    source: str | None = Field(
        default=None, description="default mail source (folder/Maildir); default <data_dir>/inbox"
    )
    theme_model_dir: Path | None = Field(
        default=None, description="theme model folder (default: the model shipped in extractors/)"
    )
    field_model: Path | None = Field(
        default=None,
        description="field scorer weights (default: extractors/model/fields.json, shipped)",
    )
    task_retry_delays: str = Field(
        default="2,10,30",
        pattern=r"^[0-9.,\s]*$",
        description="seconds between retries of a transient failure, comma-separated "
        "(read when the flows are imported: Prefect fixes a task's retries at decoration)",
    )

    def runtime(self) -> RuntimeConfig:
        """Freeze into the plain, serialisable config that flows pass to tasks: the options
        as they are, paths resolved once. A URL with a password is refused
        (:class:`PasswordInUrl`): the config is a flow parameter."""
        if self.database_url:
            refuse_password(self.database_url, "database")
        if self.source:
            refuse_password(self.source, "source")
        data_dir = self.data_dir.expanduser().resolve()
        if self.source and "://" in self.source:  # a server URL, e.g. imap://…
            source = self.source
        elif self.source:
            source = str(Path(self.source).expanduser().resolve())
        else:
            source = str(data_dir / "inbox")
        return RuntimeConfig(
            **self.model_dump(include=set(Options.model_fields)),
            data_dir=str(data_dir),
            database_url=self.database_url or f"sqlite:///{data_dir / 'skizzen.db'}",
            default_source=source,
            theme_model_dir=_resolved(self.theme_model_dir),
            field_model=_resolved(self.field_model),
        )


def _resolved(path: Path | None) -> str | None:
    return str(path.expanduser().resolve()) if path else None


class RuntimeConfig(Options):
    """Resolved, frozen configuration handed from the edge to tasks and domain functions."""

    model_config = ConfigDict(frozen=True)

    data_dir: str
    database_url: str = Field(json_schema_extra={"pattern": NO_PASSWORD_PATTERN})
    default_source: str = Field(json_schema_extra={"pattern": NO_PASSWORD_PATTERN})
    theme_model_dir: str | None = None
    field_model: str | None = None

    @field_validator("database_url")
    @classmethod
    def _no_database_password(cls, value: str) -> str:
        """A config given as a flow parameter (a "Custom run") holds no password either."""
        return refuse_password(value, "database")

    @field_validator("default_source")
    @classmethod
    def _no_source_password(cls, value: str) -> str:
        return refuse_password(value, "source")

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
    def converted_dir(self) -> Path:
        """PDFs converted from Word/OpenDocument/RTF, by the original's sha256."""
        return self.data_path / "cache" / "converted"

    @property
    def ocr_dir(self) -> Path:
        """OCRed PDFs of scans, by the original's sha256."""
        return self.data_path / "cache" / "ocr"

    @property
    def analysis_cache_dir(self) -> Path:
        return self.data_path / "cache" / "analysis"

    @property
    def pages_dir(self) -> Path:
        """Page images of sketches for the review page, by the PDF's sha256."""
        return self.data_path / "cache" / "pages"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_path / "data_docs"


def load_runtime(**overrides: object) -> RuntimeConfig:
    """Read settings (env + overrides that are not None) and freeze them."""
    apply_offline_env()
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given).runtime()  # type: ignore[arg-type]


def database_password() -> str | None:
    """The database password of the settings (SKIZZEN_DATABASE_PASSWORD), read where a
    connection is made, like the IMAP password: it is never a value passed on."""
    secret = Settings().database_password
    return secret.get_secret_value() if secret else None
