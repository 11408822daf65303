"""One settings object for the CLI, the worker and the API (environment prefix `BOOMERANG_`)."""

from datetime import timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.definition import PositiveDuration
from engine.events import IanaTimeZone

_REPO_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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
