"""Actions in dry run: what each would have answered, with nothing sent, created or called.

Each mirrors its real action's decisions at the simulated moment: an email is skipped
without an address, suppressed once the address is on the list, deferred by the frequency
cap (which counts the customer's real emails from other automations and the simulated ones
of this run), and otherwise rendered with the cart's contents (so a template that cannot
render with a real cart shows as a failed step) in the language production would choose
for the customer, but not sent. A code is drawn but not
created; a webhook is not called. An action from a package, whose effects we cannot know,
answers `simulated`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from engine.emails.email_context import Shop, email_context
from engine.emails.rendering import RenderedEmail, RenderFailed, TemplateNotFound
from engine.language.actions import RegisteredAction, load_actions
from engine.language.interpreter import JourneyState, RunAction
from engine.runtime.settings import FrequencyCap, Settings
from engine.service.links import recovery_url, unsubscribe_url
from engine.service.simulation_world import Batch, CartCase
from engine.service.templates import LocalisedEmail, published_email

CODE_SUFFIX = "SIMULA"  # what a dry-run code looks like: SAVE10-SIMULA, never a real one


@dataclass(frozen=True)
class DrawnCode:
    """A dry-run code, as its email shows it (engine.emails.email_context.ShownDiscount)."""

    code: str
    percent: int
    expires_at: datetime


@dataclass
class Ledger:
    """What the journeys of one customer did so far in this run: the frequency cap and the
    re-entry cooldown count it."""

    sends: list[datetime] = field(default_factory=list)
    entries: list[datetime] = field(default_factory=list)


@dataclass
class DryRunner:
    """The dry run of every action, for the journeys of one run (`batch`: the one they are in)."""

    session: Session
    settings: Settings
    cap: FrequencyCap | None
    batch: Batch = field(default_factory=lambda: Batch(cases=[]))
    actions: dict[str, RegisteredAction] = field(default_factory=load_actions)
    # Read once per run: a simulation renders thousands of emails.
    shop: Shop | None = None
    links: tuple[str, str] | None = None
    # By template and reader's locale: the content the fallback chain chose, or why none.
    templates: dict[tuple[str, str | None], LocalisedEmail | str] = field(default_factory=dict)
    # A step's params, validated once: every journey runs the same steps. Keyed by the params'
    # identity (each step's own dict in the definition, kept alive by the entry).
    params: dict[int, tuple[dict[str, Any], Any]] = field(default_factory=dict)

    def for_journey(self, case: CartCase, ledger: Ledger) -> Any:
        """The `DryRun` of one journey (engine.language.simulator)."""

        def act(run: RunAction, now: datetime, state: JourneyState) -> dict[str, Any]:
            registered = self.actions.get(run.action)
            if registered is None:
                return {"status": "failed", "error": f"no action named {run.action!r}"}
            params = self._params(registered, run.params)
            match run.action:
                case "send_email":
                    return self._send_email(case, ledger, params, now, state)
                case "notify_owner":
                    return self._notify_owner(case, params)
                case "create_discount":
                    expires_at = now + params.expires_in
                    return {"status": "created", "code": f"{params.prefix}{params.percent}-"
                            f"{CODE_SUFFIX}", "percent": params.percent,
                            "expires_at": expires_at.astimezone(UTC).isoformat()}  # fmt: skip
                case "send_webhook":
                    return {"status": "delivered", "simulated": True}
                case "tag_customer":
                    if case.customer is None:
                        return {"status": "skipped", "reason": "no known customer for this cart"}
                    return {"status": "tagged", "tag": params.tag}
                case "mark_cart_lost":
                    if any("cart_recovered" in h.known and h.at <= now for h in case.happenings):
                        return {"status": "skipped", "reason": "recovered"}
                    return {"status": "lost", "cart_id": case.cart.id}
            return {"status": "simulated", "would_have_run": run.action}

        return act

    def _send_email(
        self,
        case: CartCase,
        ledger: Ledger,
        params: Any,
        now: datetime,
        state: JourneyState,
    ) -> dict[str, Any]:
        customer = case.customer
        if customer is None:
            return {"status": "skipped", "reason": "no known email for this journey"}
        suppressed_at = self.batch.suppressed_at.get(customer.email)
        if suppressed_at is not None and suppressed_at <= now:
            return {"status": "suppressed", "reason": "the address unsubscribed"}
        if (allowed_at := self._capped_until(customer.email, ledger, now)) is not None:
            return {"status": "deferred", "retry_at": allowed_at.isoformat(),
                    "reason": "frequency cap"}  # fmt: skip
        cart_url, unsubscribe = self._links()
        code = _journey_code(state)

        def context(locale: str) -> dict[str, Any]:
            return email_context(case.cart, customer, self._shop(), code, cart_url=cart_url,
                                 unsubscribe_url=unsubscribe, locale=locale)  # fmt: skip

        rendered = self._render(params.template, context, params.subject, customer.locale)
        if isinstance(rendered, str):
            return {"status": "failed", "error": rendered}
        ledger.sends.append(now)
        return {"status": "sent", "template": params.template, "subject": rendered.subject}

    def _notify_owner(self, case: CartCase, params: Any) -> dict[str, Any]:
        if not self.settings.owner_email:
            return {"status": "skipped", "reason": "no owner address configured"}

        def context(locale: str) -> dict[str, Any]:
            return email_context(case.cart, case.customer, self._shop(), locale=locale)

        # The owner reads the shop's language.
        rendered = self._render(params.template, context, params.subject, None)
        if isinstance(rendered, str):
            return {"status": "failed", "error": rendered}
        return {"status": "sent", "template": params.template, "to": "owner"}

    def _render(
        self,
        template: str,
        context: Callable[[str], dict[str, Any]],
        subject: str | None,
        reader_locale: str | None,
    ) -> RenderedEmail | str:
        """The email as it would go out, in the language production would choose for a reader
        whose locale is `reader_locale`, or why it cannot (the real send fails the step)."""
        key = (template, reader_locale)
        if key not in self.templates:
            try:
                self.templates[key] = published_email(
                    self.session, template, reader_locale, self.settings.shop_locale
                )
            except TemplateNotFound as error:
                self.templates[key] = str(error)
        compiled = self.templates[key]
        if isinstance(compiled, str):
            return compiled
        try:
            return compiled.render(context, subject)
        except RenderFailed as error:
            return str(error)

    def _capped_until(self, email: str, ledger: Ledger, now: datetime) -> datetime | None:
        """engine.service.frequency.capped_until, over the real emails and this run's."""
        cap = self.cap
        if cap is None:
            return None
        since = now - cap.window
        recent: list[datetime] = sorted(
            at for at in (*self.batch.sent.get(email, ()), *ledger.sends) if since < at <= now
        )
        if len(recent) < cap.emails:
            return None
        return recent[-cap.emails] + cap.window

    def _params(self, registered: RegisteredAction, raw: dict[str, Any]) -> Any:
        known = self.params.get(id(raw))
        if known is None or known[0] is not raw:
            known = self.params[id(raw)] = (raw, registered.params_model.model_validate(raw))
        return known[1]

    def _links(self) -> tuple[str, str]:
        """A cart link and an unsubscribe link as real emails carry them, signed once for no
        one (the email is never sent; signing one per email would cost more than rendering)."""
        if self.links is None:
            self.links = (
                recovery_url(self.settings, "simulated", "simulation"),
                unsubscribe_url(self.settings, "simulated", "simulation"),
            )
        return self.links

    def _shop(self) -> Shop:
        if self.shop is None:
            self.shop = Shop.from_settings(self.settings)
        return self.shop


def _journey_code(state: JourneyState) -> DrawnCode | None:
    """The newest code an earlier step of this journey drew (the email after it shows it): a
    created code's result carries `code`, `percent` and `expires_at`."""
    for record in reversed(state.history):
        detail = record.detail
        if record.type == "action" and detail.get("status") == "created" and "code" in detail:
            return DrawnCode(
                code=str(detail["code"]),
                percent=int(detail["percent"]),
                expires_at=datetime.fromisoformat(str(detail["expires_at"])),
            )
    return None
