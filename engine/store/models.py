"""Boomerang's tables. Personal data (emails, names, addresses) lives here, never in Temporal."""

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from engine.store.types import UTCDateTime, utcnow


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


def _when() -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=True)


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _money() -> Any:
    return Field(default=Decimal(0), sa_column_kwargs={"nullable": False}, sa_type=Numeric(14, 2))


class Customer(SQLModel, table=True):
    # Retention visits customers in creation order (engine.service.retention.Progress).
    __table_args__ = (Index("ix_customer_created_at_id", "created_at", "id"),)

    id: str = Field(default_factory=lambda: new_id("cus"), primary_key=True)
    email: str = Field(unique=True, index=True, max_length=320)
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    locale: str | None = Field(default=None, max_length=35)  # BCP 47, as the shop sent it
    accepts_marketing: bool | None = Field(default=None)  # None: the shop never said
    registered: bool | None = Field(default=None)  # has an account (None: not told)
    # Nullable: rows from before the column existed read as None, which means no tags.
    tags: list[str] | None = Field(default_factory=list, sa_column=Column(JSON, nullable=True))
    timezone: str | None = Field(default=None, max_length=64)  # IANA name the shop sent
    created_at: datetime = _created()


class Cart(SQLModel, table=True):
    # Results (engine/service/analytics.py) count carts by these moments, and read a period's
    # recoveries; the indexes cover those queries, so a period of a big shop never reads the
    # table itself (the last: the carts of suppressed customers, counted per customer).
    __table_args__ = (
        Index("ix_cart_abandoned_at_customer_id", "abandoned_at", "customer_id"),
        Index("ix_cart_created_at_status", "created_at", "status"),
        Index(
            "ix_cart_recovered_at_status_cover",
            "recovered_at",
            "status",
            "abandoned_at",
            "total",
            "currency",
            "order_id",
            "id",
        ),
        Index("ix_cart_customer_id_abandoned_at", "customer_id", "abandoned_at"),
    )

    id: str = Field(primary_key=True, max_length=200)  # the shop's cart id
    customer_id: str | None = Field(default=None, foreign_key="customer.id", index=True)
    # active, abandoned, recovered, lost; ordered: bought before it was ever abandoned
    status: str = Field(default="active", max_length=20, index=True)
    items: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    subtotal: Decimal = _money()
    shipping: Decimal = _money()
    tax: Decimal = _money()
    total: Decimal = Field(
        default=Decimal(0), sa_column_kwargs={"nullable": False}, sa_type=Numeric(14, 2), index=True
    )
    currency: str = Field(default="USD", max_length=3)
    recovery_url: str | None = Field(default=None, max_length=2000)
    # Indexed: the carts list sorts and filters by these (engine.service.carts).
    abandoned_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, nullable=True, index=True
    )
    recovered_at: datetime | None = _when()
    order_id: str | None = Field(default=None, max_length=200)
    recovered_via: str | None = Field(default=None, max_length=200)
    created_at: datetime = _created()
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True
    )


class Order(SQLModel, table=True):
    """An order as order events (or a recovery) told of it; the customer's segment counts them."""

    __tablename__ = "shop_order"  # `order` is an SQL keyword
    # Results read a recovering order's total by its id without the row (covering).
    __table_args__ = (Index("ix_shop_order_id_total_currency", "id", "total", "currency"),)

    id: str = Field(primary_key=True, max_length=200)  # the shop's order id
    customer_id: str | None = Field(default=None, foreign_key="customer.id", index=True)
    cart_id: str | None = Field(default=None, index=True, max_length=200)
    total: Decimal = _money()
    currency: str = Field(default="USD", max_length=3)
    status: str = Field(default="placed", max_length=20)  # placed, paid, fulfilled, delivered
    placed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # The latest fulfilment's tracking, for the shipping email (`fulfilment.tracking_*`).
    tracking_number: str | None = Field(default=None, max_length=200)
    tracking_company: str | None = Field(default=None, max_length=200)
    tracking_url: str | None = Field(default=None, max_length=2000)
    updated_at: datetime = _created()


class Event(SQLModel, table=True):
    """Every accepted event once, by id, with the journey effects it has to cause.

    The effects are stored with the event (an outbox) and `applied_at` is set once
    Temporal took them all, so a retried event finishes what a failed attempt began.
    """

    # Retention visits events in the order they came (engine.service.retention.Progress).
    __table_args__ = (Index("ix_event_received_at_id", "received_at", "id"),)

    id: str = Field(primary_key=True, max_length=200)
    type: str = Field(max_length=40, index=True)
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    received_at: datetime = _created()
    cart_id: str | None = Field(default=None, index=True, max_length=200)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    effects: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    applied_at: datetime | None = _when()


class Automation(SQLModel, table=True):
    """An automation: its published versions (new journeys get `current_version`) and the
    draft being edited, which nothing runs until it is published."""

    id: str = Field(default_factory=lambda: new_id("aut"), primary_key=True)
    name: str = Field(max_length=200)
    # active (enrols), inactive (enrols nobody; the default), archived (inactive and hidden)
    status: str = Field(default="inactive", max_length=20)
    current_version: int = Field(default=1)
    # Any JSON object: work in progress may be invalid; publishing validates it.
    draft: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    preset: str | None = Field(default=None, max_length=100, index=True)  # installed from
    created_at: datetime = _created()
    updated_at: datetime = _created()


class AutomationVersion(SQLModel, table=True):
    """A published definition: immutable once written."""

    __table_args__ = (UniqueConstraint("automation_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    automation_id: str = Field(foreign_key="automation.id", index=True)
    version: int
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    source_version: int | None = Field(default=None)  # the version a rollback copied
    published_at: datetime = _created()


class Enrolment(SQLModel, table=True):
    """A subject that entered an automation, written with the enrolment's effect.

    The durable record the re-entry cooldown reads: a customer's earlier entries into
    the same automation (its journeys may be long finished) decide whether a new cart
    of theirs enters again.
    """

    __table_args__ = (
        UniqueConstraint("automation_id", "subject_id"),
        Index("ix_enrolment_enrolled_at_cart_id", "enrolled_at", "cart_id"),  # results
    )

    id: int | None = Field(default=None, primary_key=True)
    automation_id: str = Field(foreign_key="automation.id")
    automation_version: int
    subject_id: str = Field(max_length=200)
    cart_id: str | None = Field(default=None, max_length=200, index=True)  # a cart's journeys
    customer_id: str | None = Field(default=None, foreign_key="customer.id", index=True)
    enrolled_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class JourneyRecord(SQLModel, table=True):
    """One step of a journey as it happened (entered, waited, deferred, sent, variant, held
    out, moved, finished and why), written as the journey goes: the journey page and the
    cart's timeline read it after Temporal has forgotten the workflow. Ids and non-personal
    facts only, as in Temporal."""

    __table_args__ = (UniqueConstraint("workflow_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    workflow_id: str = Field(max_length=400)
    automation_id: str = Field(max_length=40, index=True)
    automation_version: int
    subject_id: str = Field(max_length=200)
    cart_id: str | None = Field(default=None, max_length=200, index=True)
    customer_id: str | None = Field(default=None, max_length=40, index=True)
    order_id: str | None = Field(default=None, max_length=200)
    seq: int  # its place in the journey's history
    step_id: str = Field(max_length=200)
    type: str = Field(max_length=40)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Message(SQLModel, table=True):
    """One outbound email, recorded under its idempotency key before it leaves."""

    __table_args__ = (
        Index("ix_message_sent_at_status", "sent_at", "status", "automation_id"),
    )  # results

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=400)
    automation_id: str | None = Field(default=None, index=True, max_length=40)
    cart_id: str | None = Field(default=None, index=True, max_length=200)
    step_id: str | None = Field(default=None, max_length=64)
    to_email: str = Field(index=True, max_length=320)
    subject: str = Field(max_length=1000)
    html: str
    text: str
    # The language it was written in (the template content the fallback chain chose).
    locale: str | None = Field(default=None, max_length=35)
    headers: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    transport: str = Field(max_length=20)
    status: str = Field(default="sending", max_length=20)  # sending, sent, failed
    provider_message_id: str | None = Field(default=None, index=True, max_length=400)
    error: str | None = Field(default=None, max_length=2000)  # why a send failed for good
    created_at: datetime = _created()
    sent_at: datetime | None = _when()


class MessageEvent(SQLModel, table=True):
    """What happened to a sent message: delivered, opened, clicked, bounced, complaint...

    From the provider's webhooks or our own tracked links; `dedupe_key` makes a repeated
    report count once.
    """

    # Results count the emails with each kind of event in a period from the first index
    # alone (no table read, no DISTINCT); the second serves the trigger that keeps
    # `previous_at` (migration 0014).
    __table_args__ = (
        Index(
            "ix_messageevent_event_occurred_at_previous_at",
            "event",
            "occurred_at",
            "previous_at",
            "message_id",
        ),
        Index("ix_messageevent_message_id_event_occurred_at", "message_id", "event", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    message_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    event: str = Field(max_length=40, index=True)
    source: str = Field(max_length=20)  # brevo, link
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    dedupe_key: str = Field(unique=True, max_length=400)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The moment of the report of the same event on the same message just before this one
    # (by occurred_at, then id); None for the first. Kept by a database trigger (migration
    # 0014), whoever inserts, so an email's first report of an event in a period is one
    # with `previous_at` before the period: the overview counts emails without DISTINCT.
    previous_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class BulkMessageRun(SQLModel, table=True):
    """A bulk message (`POST /api/v1/carts/bulk-message`): the filter and template it was
    started with and its progress, written by BulkMessageWorkflow's activities, so its status
    and report outlive Temporal's retention. The filter may hold part of an address (`email`
    contains): it stays here, the workflow carries the run's id only."""

    id: str = Field(default_factory=lambda: new_id("bulk"), primary_key=True)
    filter: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    template: str = Field(max_length=64)
    subject: str | None = Field(default=None, max_length=300)
    status: str = Field(default="running", max_length=20)  # running, completed, failed
    total: int = Field(default=0)
    done: int = Field(default=0)
    sent: int = Field(default=0)
    skipped: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    started_at: datetime = _created()
    finished_at: datetime | None = _when()


class Simulation(SQLModel, table=True):
    """A simulation (`POST /api/v1/automations/{id}/simulate`): what it was asked, the
    definitions it tried (snapshots: the draft may change meanwhile), its progress and totals.
    Kept for a day (`expires_at`), with its carts' timelines."""

    id: str = Field(default_factory=lambda: new_id("sim"), primary_key=True)
    automation_id: str = Field(max_length=40, index=True)
    request: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    tried: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    compared_with: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    compared_definition: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    status: str = Field(default="running", max_length=20)  # running, done, failed
    carts: int = Field(default=0)  # selected
    done: int = Field(default=0)
    totals: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    compared: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    difference: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = _created()
    finished_at: datetime | None = _when()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)


class SimulatedCart(SQLModel, table=True):
    """One cart's timeline in a simulation, listed newest abandonment first."""

    __table_args__ = (Index("ix_simulatedcart_listing", "simulation_id", "abandoned_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    simulation_id: str = Field(max_length=40)
    cart_id: str = Field(max_length=200)
    abandoned_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    outcome: str = Field(max_length=40)
    flagged: bool = Field(default=False)  # a send after a purchase, or a failed step
    timeline: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Suppression(SQLModel, table=True):
    """An address that must never be messaged again (it unsubscribed), whatever a journey says."""

    email: str = Field(primary_key=True, max_length=320)
    reason: str = Field(default="unsubscribed", max_length=40)
    created_at: datetime = _created()


class DiscountCode(SQLModel, table=True):
    """A single-use code a journey step created, recorded under the step's idempotency key
    before the shop's platform is asked to create it (`creating`), so a retried step finds it
    and never makes a second one."""

    id: str = Field(default_factory=lambda: new_id("dsc"), primary_key=True)
    code: str = Field(unique=True, max_length=32)
    percent: int
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    usage_limit: int = Field(default=1)
    times_used: int = Field(default=0)
    cart_id: str | None = Field(default=None, index=True, max_length=200)
    customer_id: str | None = Field(default=None, index=True, max_length=40)
    idempotency_key: str = Field(unique=True, max_length=400)
    provider: str = Field(default="builtin", max_length=20)  # builtin, shopify, woocommerce
    status: str = Field(default="created", max_length=20)  # creating, created, failed
    provider_id: str | None = Field(default=None, max_length=200)  # the platform's own id
    error: str | None = Field(default=None, max_length=2000)  # why the platform refused it
    used_at: datetime | None = _when()  # an order used it
    order_id: str | None = Field(default=None, max_length=200)
    created_at: datetime = _created()


class PlatformDelivery(SQLModel, table=True):
    """A webhook call a shop platform made, by its delivery id: what it was and what we did.

    The events it became carry ids derived from the delivery id, so a repeated delivery
    applies nothing twice; this row is what the Integrations page shows."""

    __table_args__ = (UniqueConstraint("platform", "delivery_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)  # shopify, woocommerce
    delivery_id: str = Field(max_length=200)
    topic: str = Field(max_length=100)
    result: str = Field(max_length=20)  # applied, ignored (a topic we do not map), failed
    detail: str = Field(default="", max_length=500)
    times_received: int = Field(default=1)
    received_at: datetime = _created()  # the latest time


class WebhookDelivery(SQLModel, table=True):
    """A webhook its receiver accepted (2xx), so a retried step does not post it again."""

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=400)
    url: str = Field(max_length=2000)
    status_code: int
    delivered_at: datetime = _created()


class ApiToken(SQLModel, table=True):
    """A bearer token, stored as its SHA-256 only."""

    id: str = Field(default_factory=lambda: new_id("tok"), primary_key=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = _created()
    revoked_at: datetime | None = _when()


class AuditEntry(SQLModel, table=True):
    """Who did what, when: one row per mutating API call, readable by admins."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    token_id: str | None = Field(default=None, max_length=40, index=True)
    token_name: str = Field(default="", max_length=200)
    role: str = Field(default="", max_length=20)
    action: str = Field(max_length=200)  # e.g. "POST /api/v1/automations/{id}/publish"
    resource: str | None = Field(default=None, max_length=400)  # e.g. the automation's id
    status_code: int
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Template(SQLModel, table=True):
    """An email template: a stable name (what `params.template` names; never renamed) and its
    numbered versions. Sends render `current_version`, the newest published one."""

    id: str = Field(default_factory=lambda: new_id("tpl"), primary_key=True)
    name: str = Field(unique=True, max_length=64)
    description: str = Field(default="", max_length=500)
    current_version: int | None = Field(default=None)  # None until a version is published
    created_at: datetime = _created()
    updated_at: datetime = _created()


class TemplateVersion(SQLModel, table=True):
    """One version of a template: a draft until published, immutable afterwards.

    `compiled_html` is the MJML compiled once (Jinja placeholders intact); a send only runs
    Jinja over it.
    """

    __table_args__ = (UniqueConstraint("template_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: str = Field(foreign_key="template.id", index=True)
    version: int
    status: str = Field(default="draft", max_length=20)  # draft, published
    subject: str = Field(max_length=300)
    mjml: str
    text: str
    compiled_html: str
    # The locale the content above is written in (`en`): what a send falls back to.
    locale: str = Field(default="en", max_length=35)
    # The same template in other languages, by locale (`ko`, `pt-BR`): each
    # {"subject", "mjml", "text", "compiled_html"}; engine.emails.locales picks one per send.
    translations: dict[str, dict[str, str]] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    created_at: datetime = _created()
    published_at: datetime | None = _when()


class ShopSettings(SQLModel, table=True):
    """The settings an admin changes at run time (`PUT /api/v1/settings`): one row, id 1.

    A NULL column means "the environment's value" (engine/settings.py); an empty
    `frequency_cap` means "no cap", whatever the environment says."""

    __table_args__ = (CheckConstraint("id = 1", name="ck_shopsettings_one_row"),)

    id: int = Field(default=1, primary_key=True)
    # The salt of erased addresses' hashes (ErasedAddress), made at the first erasure; kept
    # here rather than in a secret setting, so rotating a secret never forgets an erasure.
    erasure_salt: str | None = Field(default=None, max_length=64)
    sender_email: str | None = Field(default=None, max_length=320)
    sender_name: str | None = Field(default=None, max_length=70)
    frequency_cap: str | None = Field(default=None, max_length=40)
    inactivity_threshold_seconds: int | None = Field(default=None)
    # A QuietHours (engine.language.definition) for the automations that set none.
    default_quiet_hours: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    require_marketing_consent: bool | None = Field(default=None)
    storefront_origins: list[str] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    attribution_click_days: int | None = Field(default=None)
    attribution_delivery_days: int | None = Field(default=None)
    retention_abandoned_carts: int | None = Field(default=None)  # days
    retention_events: int | None = Field(default=None)  # days
    retention_messages: int | None = Field(default=None)  # days
    # What one unit of each currency is worth in the shop's currency, and the day they were
    # set: {"rates": {"EUR": "1.08"}, "set_on": "2026-12-03"}; None: amounts never convert.
    currency_rates: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    updated_at: datetime = _created()


class RetentionRun(SQLModel, table=True):
    """One run of the retention purge (engine/service/retention.py): when, and how many of each
    kind of record it removed or emptied. Counts only."""

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    finished_at: datetime | None = _when()
    status: str = Field(default="running", max_length=20)  # running, done, failed
    # The moments before which each kind of record was past its time.
    cutoffs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Where its scans stand (engine.service.retention.Progress); the next run goes on from it.
    progress: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, max_length=2000)


class ForgottenCarts(SQLModel, table=True):
    """What the results counted of carts that are no longer held (purged by retention, or
    erased), per UTC day and scope, so past figures do not change when carts go
    (engine/service/forgotten_carts.py). Non-personal: counts and amounts only.

    `scope` is `shop` for the overview, or an automation's id for that automation's results.
    Each count is on the day of its own moment, as the results count it: `abandoned` and
    `contactable` by abandonment, `created` and `created_abandoned` by creation, `recovered`,
    `revenue` and `recovery_seconds` by recovery."""

    __table_args__ = (UniqueConstraint("day", "scope"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    scope: str = Field(max_length=40)
    abandoned: int = Field(default=0)
    contactable: int = Field(default=0)
    created: int = Field(default=0)  # created that day and finished (abandoned or ordered)
    created_abandoned: int = Field(default=0)
    recovered: int = Field(default=0)
    revenue: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    recovery_seconds: list[float] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class ErasedAddress(SQLModel, table=True):
    """An erased customer's address as a salted hash (never the address): a later event for it
    finds the hash, and the new customer is suppressed at once (engine/service/erasure.py)."""

    address_hash: str = Field(primary_key=True, max_length=64)
    erased_at: datetime = _created()


class DataRequest(SQLModel, table=True):
    """A customer's request to see their data that a platform forwarded (Shopify's
    `customers/data_request`): admins answer it with the customer's export. Erasing the
    customer removes it."""

    id: str = Field(default_factory=lambda: new_id("dreq"), primary_key=True)
    platform: str = Field(max_length=20)
    request_id: str | None = Field(default=None, max_length=200)  # the platform's own id
    email: str = Field(max_length=320, index=True)
    orders: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    received_at: datetime = _created()
    exported_at: datetime | None = _when()  # the first export an admin downloaded
