"""One settings object for the CLI, the worker and the API (environment prefix `BOOMERANG_`)."""

import os
import re
import string
from datetime import timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import EmailStr, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from engine.emails.formatting import is_known_locale
from engine.emails.locales import normalise
from engine.language.definition import PositiveDuration, parse_duration
from engine.language.events import IanaTimeZone
from engine.language.money import Threshold, currency_code, parse_threshold

_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STOREFRONT_PLACEHOLDERS = {"cart_id", "token"}


def usable_cores() -> int | None:
    """The cores this process may run on (a container's CPU set), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def default_api_workers(cores: int | None) -> int:
    """One API process per two cores, from 1 to 4. An event costs the API about a quarter of
    the CPU it costs in all (the Temporal server and the worker take the rest), so on a
    machine that runs them all a second API process only takes cores from them: measured on
    two cores, it took 176 MiB more and accepted no more events."""
    return max(1, min(4, (cores or 1) // 2))


def parse_origin(text: str) -> str:
    """`https://shop.example.com` (scheme, host, optional port; no path), as browsers send
    it in `Origin`; refused otherwise, naming the value."""
    origin = text.strip().rstrip("/").lower()
    if not re.fullmatch(r"https?://[a-z0-9.-]+(:\d{1,5})?", origin):
        raise ValueError(f"{text!r} is not an origin such as https://shop.example.com")
    return origin


def read_pem(path: Path) -> bytes:
    """The contents of a PEM file (certificate or key); ValueError naming the file and why
    it cannot serve."""
    try:
        contents = path.read_bytes()
    except OSError as error:
        raise ValueError(f"{path} cannot be read: {error.strerror or error}") from error
    if b"-----BEGIN " not in contents:
        raise ValueError(f"{path} is not a PEM file (no -----BEGIN line)")
    return contents


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
    api_workers: int = Field(
        default_factory=lambda: default_api_workers(usable_cores()),
        ge=1,
        le=64,
        description="API processes serving the port (uvicorn workers); default: one per two "
        "cores, from 1 to 4.",
    )
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
    # A Temporal cluster or Temporal Cloud (docs/deploy.md). Declared in this order so the last
    # one's check sees the others.
    temporal_api_key: SecretStr | None = Field(
        None, description="API key of a Temporal Cloud namespace; implies TLS."
    )
    temporal_tls: bool = Field(
        False,
        description="Connect to BOOMERANG_TEMPORAL_ADDRESS over TLS, checking the server "
        "against the system's CAs (implied by the API key and the other TLS settings).",
    )
    temporal_tls_ca: Path | None = Field(
        None,
        description="CA certificate (PEM) that signed the Temporal server's certificate, "
        "instead of the system's CAs.",
    )
    temporal_tls_server_name: str | None = Field(
        None,
        description="Name the Temporal server's certificate is checked against (and sent as "
        "SNI), when it is not the address's host.",
    )
    temporal_tls_cert: Path | None = Field(
        None, description="Client certificate (PEM) for mTLS; with BOOMERANG_TEMPORAL_TLS_KEY."
    )
    temporal_tls_key: Path | None = Field(
        None,
        validate_default=True,  # so the checks below run when it is left out
        description="Private key (PEM) of BOOMERANG_TEMPORAL_TLS_CERT.",
    )

    @field_validator("temporal_tls_ca", "temporal_tls_cert", "temporal_tls_key")
    @classmethod
    def _readable_pem(cls, value: Path | None) -> Path | None:
        if value is not None:
            read_pem(value)
        return value

    @field_validator("temporal_tls_key")
    @classmethod
    def _temporal_security_is_whole(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        """Refuse half a client certificate, and TLS towards the embedded dev server (which
        speaks plain gRPC). A field's validator, so its error never shows the API key."""
        if "temporal_tls_cert" not in info.data:
            return value  # the certificate was refused already, with its own reason
        cert = info.data["temporal_tls_cert"]
        if (cert is None) != (value is None):
            given, missing = (
                ("BOOMERANG_TEMPORAL_TLS_CERT", "BOOMERANG_TEMPORAL_TLS_KEY")
                if value is None
                else ("BOOMERANG_TEMPORAL_TLS_KEY", "BOOMERANG_TEMPORAL_TLS_CERT")
            )
            raise ValueError(f"{given} is set without {missing}: mTLS needs both")
        secured = [
            f"BOOMERANG_TEMPORAL_{name.upper()}"
            for name in ("api_key", "tls", "tls_ca", "tls_server_name", "tls_cert")
            if info.data.get(f"temporal_{name}")
        ]
        if secured and not info.data.get("temporal_address"):
            raise ValueError(
                f"{secured[0]} needs BOOMERANG_TEMPORAL_ADDRESS: the embedded Temporal dev "
                "server speaks plain gRPC"
            )
        return value

    task_queue: str = Field("boomerang", description="Temporal task queue of the worker.")
    worker_processes: int = Field(
        default_factory=lambda: max(1, (usable_cores() or 1) // 2),
        ge=1,
        le=64,
        description="Processes `boomerang worker` runs on the task queue (one Python process "
        "uses one core at most). Default: half the cores, the rest left to Temporal and the API.",
    )
    api_token: str | None = Field(
        None, description="Fixes the bootstrap admin token (else generated once and kept)."
    )
    email_transport: Literal["outbox", "brevo"] = Field(
        "outbox",
        description="`outbox` stores emails in the database (dev); `brevo` sends them through "
        "Brevo's API.",
    )
    brevo_api_key: SecretStr | None = Field(
        None, description="Brevo API key (`xkeysib-...`); required by the `brevo` transport."
    )
    brevo_base_url: str = Field(
        "https://api.brevo.com/v3", description="Base URL of Brevo's API (v3)."
    )
    sender_email: EmailStr | None = Field(
        None,
        validate_default=True,  # so the check below runs when it is left out
        description="From address of the emails (a sender verified in Brevo); required by the "
        "`brevo` transport.",
    )
    sender_name: str | None = Field(
        None, max_length=70, description="From name of the emails; the shop's name when unset."
    )
    reply_to: EmailStr | None = Field(
        None, description="Reply-To address of the emails; unset: replies go to the sender."
    )
    brevo_webhook_secret: SecretStr | None = Field(
        None,
        description="Shared secret Brevo's webhook calls carry; unset: the webhook refuses all.",
    )

    @field_validator("sender_email")
    @classmethod
    def _brevo_is_configured(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Refuse to start with the `brevo` transport and nothing to send with. (A field's
        validator, not the model's: its error shows this value only, never the other secrets.)"""
        if info.data.get("email_transport") == "brevo":
            api_key = info.data.get("brevo_api_key")
            needed = {
                "BOOMERANG_BREVO_API_KEY": api_key.get_secret_value() if api_key else "",
                "BOOMERANG_SENDER_EMAIL": value,
            }
            if missing := [name for name, given in needed.items() if not given]:
                raise ValueError(f"BOOMERANG_EMAIL_TRANSPORT=brevo needs {' and '.join(missing)}")
        return value

    shop_name: str = Field("our shop", description="The shop's name as emails show it.")
    shop_url: str | None = Field(
        None, description="The shop's home page (`shop.url` in emails); http(s) only."
    )
    shop_locale: str = Field(
        "en",
        pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$",
        description="The shop's language and the last step of every email's language "
        "fallback (customer's `ko-KR` → `ko` → this → the template's main content); also how "
        "prices and dates print for customers whose own locale is not known: `en` ($280.77), "
        "`de` (280,77 €), `ko` (₩281). Any locale CLDR knows.",
    )

    @field_validator("shop_locale")
    @classmethod
    def _cldr_knows_the_locale(cls, value: str) -> str:
        if not is_known_locale(value):
            raise ValueError(f"CLDR knows no language {value!r}: use a BCP 47 tag such as en-US")
        return normalise(value)

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
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts (names or literal addresses), comma-separated, `send_webhook` may "
        "post to even though they are loopback, private, link-local or otherwise not public.",
    )
    max_body_bytes: int = Field(
        10 * 1024 * 1024,
        ge=64 * 1024,
        description="The largest request body any route accepts (bytes); larger: 413.",
    )
    ingest_signing_secret: SecretStr | None = Field(
        None,
        description="HMAC-SHA256 key(s) shops sign `POST /api/v1/events` with "
        "(`X-Boomerang-Signature`); several, comma-separated, while rotating. Unset: signed "
        "posts are refused and a token is needed.",
    )
    shop_currency: str = Field(
        "USD",
        description="The shop's currency (ISO 4217): what a plain amount in a rule means "
        "(`cart.total >= 25` is 25 of it), and what the shop's rates convert into.",
    )
    vip_lifetime_spend: Annotated[Threshold, NoDecode] = Field(
        Decimal(1000),
        description="A customer who spent more than this is in the `vip` segment: `1000` (in "
        "the shop's currency) or per currency, `EUR:1000,KRW:1500000`; compared as a rule "
        "compares `customer.lifetime_spend` (converted with the shop's rates when set).",
    )

    @field_validator("shop_currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        return currency_code(value)

    @field_validator("vip_lifetime_spend", mode="before")
    @classmethod
    def _threshold(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_threshold(value)
        if isinstance(value, dict):  # as code gives it: checked as the text would be
            return parse_threshold(",".join(f"{code}:{amount}" for code, amount in value.items()))
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value < 0:
            raise ValueError("the VIP threshold is an amount of zero or more")
        return value

    shop_timezone: IanaTimeZone = Field(
        "UTC", description="IANA time zone for `shop` times and customers without their own."
    )
    frequency_cap: str = Field(
        "",
        description="At most N journey emails per customer per window, e.g. `1/12h`; "
        "a capped send waits for the cap. Empty: no cap.",
    )

    public_url: str | None = Field(
        None, description="Base URL of the API in emailed links (`http://127.0.0.1:{port}`)."
    )
    link_secret: SecretStr | None = Field(
        None,
        min_length=16,
        description="HMAC key that signs recovery and unsubscribe links (else generated once "
        "and kept in the data dir).",
    )
    recovery_link_ttl: PositiveDuration = Field(
        timedelta(days=30), description="How long a recovery link leads back to its cart."
    )
    storefront_cart_url: str | None = Field(
        None,
        description="Where a recovery link leads when the shop sent no `recovery_url`: a URL "
        "template with `{cart_id}` and optionally `{token}`.",
    )

    # -- the shop's platform (docs/integrations.md) ------------------------------------------
    shopify_webhook_secret: SecretStr | None = Field(
        None,
        description="The key Shopify signs webhooks with (`X-Shopify-Hmac-Sha256`): the app's "
        "API secret. Unset: the Shopify webhook endpoint refuses every call.",
    )
    shopify_shop: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$|^https?://",
        description="The shop's `*.myshopify.com` domain, for the Admin API (webhook "
        "subscriptions, discount codes); when set, a `shop/redact` webhook for another shop "
        "is refused.",
    )
    shopify_access_token: SecretStr | None = Field(
        None, description="Admin API access token of the shop's custom app (`shpat_...`)."
    )
    shopify_api_version: str = Field(
        "2025-07", pattern=r"^\d{4}-\d{2}$", description="Shopify Admin API version."
    )
    woocommerce_webhook_secret: SecretStr | None = Field(
        None,
        description="The secret of the WooCommerce webhooks (`X-WC-Webhook-Signature`). "
        "Unset: the WooCommerce webhook endpoint refuses every signed call.",
    )
    woocommerce_url: str | None = Field(
        None, description="The WordPress site's address, for the REST API (discount codes)."
    )
    woocommerce_consumer_key: SecretStr | None = Field(
        None, description="WooCommerce REST API consumer key (`ck_...`), read/write."
    )
    woocommerce_consumer_secret: SecretStr | None = Field(
        None, description="WooCommerce REST API consumer secret (`cs_...`)."
    )
    discount_provider: Literal["builtin", "shopify", "woocommerce"] = Field(
        "builtin",
        description="Where `create_discount` issues codes: `builtin` (our records only), "
        "`shopify` or `woocommerce` (created in the shop, so its checkout accepts them).",
    )
    attribution_window: PositiveDuration = Field(
        timedelta(days=7),
        description="A platform order without a known cart counts for its customer's latest "
        "cart abandoned this long before it.",
    )
    require_marketing_consent: bool = Field(
        False, description="Only carts whose customer accepts marketing enter automations."
    )
    attribution_click_days: int = Field(
        5,
        ge=0,
        le=365,
        description="Results: a recovery belongs to the last email clicked this many days "
        "before it (docs/analytics.md).",
    )
    attribution_delivery_days: int = Field(
        5,
        ge=0,
        le=365,
        description="Results: else to the last email delivered (or sent) this many days before it.",
    )
    retention_abandoned_carts: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days a cart that was never recovered is kept after its last activity, "
        "with its items (docs/privacy.md).",
    )
    retention_events: int = Field(
        30, ge=1, le=3650, description="Days the raw body of a received event is kept."
    )
    retention_messages: int = Field(
        90,
        ge=1,
        le=3650,
        description="Days a sent email's rendered subject, body and address are kept.",
    )
    retention_interval: PositiveDuration = Field(
        timedelta(hours=1),
        description="How often the worker's schedule purges what is past its retention.",
    )
    storefront_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins (`https://shop.example.com`) the storefront snippet may post "
        "from, comma-separated; none: storefront keys are refused everywhere.",
    )

    @field_validator("frequency_cap")
    @classmethod
    def _cap_is_readable(cls, value: str) -> str:
        parse_frequency_cap(value)
        return value

    @field_validator("storefront_origins", "webhook_allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("webhook_allowed_hosts")
    @classmethod
    def _host_names(cls, value: list[str]) -> list[str]:
        # As URLs hold them: lower case, an IPv6 address without its brackets.
        return [host.lower().strip("[]") for host in value]

    @field_validator("storefront_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        return [parse_origin(origin) for origin in value]

    @field_validator("public_url", "storefront_cart_url", "shop_url", "woocommerce_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http:// or https:// URL")
        return value

    @field_validator("storefront_cart_url")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parsed = string.Formatter().parse(value)
                names = {name for _, name, _, _ in parsed if name is not None}
            except ValueError as error:
                raise ValueError(f"{value!r} is not a URL template: {error}") from error
            if unknown := names - STOREFRONT_PLACEHOLDERS:
                raise ValueError(
                    f"unknown placeholder {sorted(unknown)[0]!r}; use {{cart_id}} and {{token}}"
                )
        return value

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://127.0.0.1:{self.port}").rstrip("/")

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
