"""One settings object for the CLI, the worker and the API (environment prefix `BOOMERANG_`)."""

from datetime import timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.definition import PositiveDuration, parse_duration
from engine.events import IanaTimeZone

_REPO_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class FrequencyCap(NamedTuple):
    emails: int
    window: timedelta


def parse_frequency_cap(text: str) -> FrequencyCap | None:
    """`1/12h` → at most 1 per 12 hours; empty → no cap."""
    if not text.strip():
        return None
    count, slash, window = text.partition("/")
    if not slash or not count.strip().isdigit() or int(count) < 1:
        raise ValueError(f"{text!r} is not a cap such as 1/12h (emails/window)")
    duration = parse_duration(window.strip())
    if duration <= timedelta(0):
        raise ValueError("the cap's window must be longer than zero")
    return FrequencyCap(emails=int(count), window=duration)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOOMERANG_", extra="ignore")

    host: str = Field("127.0.0.1", description="Interface the API listens on.")
    port: int = Field(8000, description="Port of the API and the UI.")
    data_dir: Path = Field(
        Path("var"), description="Where the SQLite files and the admin token live."
    )
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; SQLite in the data dir when unset."
    )
    temporal_address: str | None = Field(
        None, description="host:port of an external Temporal; when set, none is embedded."
    )
    temporal_port: int = Field(7233, description="Port of the embedded Temporal dev server.")
    temporal_ui_port: int = Field(8233, description="Port of the embedded Temporal Web UI.")
    temporal_namespace: str = Field("default", description="Temporal namespace of the journeys.")
    task_queue: str = Field("boomerang", description="Temporal task queue of the worker.")
    api_token: str | None = Field(
        None, description="Fixes the bootstrap admin token (else generated once and kept)."
    )
    email_transport: Literal["outbox"] = Field(
        "outbox", description="`outbox` stores emails in the database (dev)."
    )
    shop_name: str = Field("our shop", description="The shop's name as emails show it.")
    templates_dir: Path = Field(_REPO_TEMPLATES, description="Folder of the MJML email templates.")
    inactivity_threshold: PositiveDuration = Field(
        timedelta(minutes=30), description="Idle time after which an active cart is abandoned."
    )
    abandonment_interval: PositiveDuration = Field(
        timedelta(minutes=1), description="How often the worker's schedule looks for idle carts."
    )
    owner_email: str | None = Field(
        None, description="Where `notify_owner` sends its emails; unset skips that step."
    )
    webhook_secret: str = Field(
        "", description="HMAC-SHA256 key that signs `send_webhook` bodies; required to send."
    )
    vip_lifetime_spend: Decimal = Field(
        Decimal(1000),
        ge=0,
        description="A customer whose orders add up to more than this is in the `vip` segment.",
    )
    shop_timezone: IanaTimeZone = Field(
        "UTC", description="IANA time zone for `shop` times and customers without their own."
    )
    frequency_cap: str = Field(
        "",
        description="At most N journey emails per customer per window, e.g. `1/12h`; "
        "a capped send waits for the cap. Empty: no cap.",
    )

    @field_validator("frequency_cap")
    @classmethod
    def _cap_is_readable(cls, value: str) -> str:
        parse_frequency_cap(value)
        return value

    @property
    def email_cap(self) -> FrequencyCap | None:
        return parse_frequency_cap(self.frequency_cap)

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL with the driver SQLAlchemy needs (psycopg 3 for PostgreSQL)."""
        url = self.database_url or f"sqlite:///{self.data_dir / 'boomerang.db'}"
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                return "postgresql+psycopg://" + url.removeprefix(plain)
        return url

    @property
    def resolved_temporal_address(self) -> str:
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"
