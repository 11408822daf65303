"""`make bench`: the per-send render time of a 3-item cart email.

Two ways to render the same email (subject, HTML and text) with the same context:

- cached: what a send does. The template version's MJML was compiled once when it was
  published and its Jinja is compiled once per process (`CompiledEmail`, cached per
  version); a send only runs Jinja over the compiled HTML, the text and the subject.
- compile every send: MJML compiled to HTML, then Jinja compiled and run, on every send.

Prints the median, p95 and mean of each and the ratio of the medians, as a Markdown table
(docs/BENCHMARKS.md records a run and the method). Not a test: nothing is asserted.
"""

import argparse
import gc
import platform
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from mjml import mjml_to_html

from engine.emails.email_context import SAMPLE_ITEMS, Shop, email_context, sample_context
from engine.emails.rendering import CompiledEmail
from engine.emails.template_checks import check_template
from engine.store.models import Cart, Customer, DiscountCode

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _timed(run: Callable[[], object], times: int) -> list[float]:
    """Microseconds per call, garbage collection off while measuring."""
    gc.collect()
    gc.disable()
    try:
        samples = []
        for _ in range(times):
            start = time.perf_counter_ns()
            run()
            samples.append((time.perf_counter_ns() - start) / 1000)
        return samples
    finally:
        gc.enable()


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _rows() -> tuple[Cart, Customer, DiscountCode]:
    """The rows a send reads from the database (not timed: that is the database's part)."""
    cart = Cart(
        id="cart_bench",
        items=SAMPLE_ITEMS,
        total=Decimal("280.77"),
        currency="USD",
        recovery_url="https://shop.example.com/cart/recover/bench",
    )
    customer = Customer(id="cus_bench", email="jane@example.com", first_name="Jane")
    discount = DiscountCode(
        code="SAVE10-ABC123",
        percent=10,
        expires_at=datetime(2024, 1, 22, 14, tzinfo=UTC),
        idempotency_key="bench",
    )
    return cart, customer, discount


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="cart-discount")
    parser.add_argument("--renders", type=int, default=2000, help="cached renders to time")
    parser.add_argument("--compiles", type=int, default=100, help="compile-every-send renders")
    args = parser.parse_args(argv)

    mjml = (TEMPLATES / f"{args.template}.mjml").read_text(encoding="utf-8")
    text = (TEMPLATES / f"{args.template}.txt").read_text(encoding="utf-8")
    manifest = tomllib.loads((TEMPLATES / "templates.toml").read_text(encoding="utf-8"))
    subject = manifest[args.template]["subject"]
    context = sample_context("USD", "en")  # 3 items with images, a discount code and expiry

    compiled = CompiledEmail.build(check_template(subject, mjml, text), text, subject)
    for _ in range(200):  # warm up
        compiled.render(context)

    def compile_and_render() -> object:
        html = str(mjml_to_html(mjml).html)
        return CompiledEmail.build(html, text, subject).render(context)

    cart, customer, discount = _rows()
    shop = Shop(name="Example Shop")

    def build_context_and_render() -> object:
        return compiled.render(email_context(cart, customer, shop, discount))

    cached = _timed(lambda: compiled.render(context), args.renders)
    with_context = _timed(build_context_and_render, args.renders)
    compile_and_render()  # warm up
    every_send = _timed(compile_and_render, args.compiles)

    rows = [
        ("cached: Jinja over the compiled HTML, text, subject", cached),
        ("cached, plus `email_context` from the rows (money, dates)", with_context),
        ("compile MJML + Jinja on every send", every_send),
    ]
    email = compiled.render(context)
    print(f"Template `{args.template}`: 3-item USD cart with a discount code;")  # noqa: T201
    print(  # noqa: T201
        f"{len(email.html):,} characters of HTML. Python {platform.python_version()} on "
        f"{platform.machine()}, {datetime.now(UTC):%Y-%m-%d}.\n"
    )
    print("| per send | renders | median | p95 | mean |")  # noqa: T201
    print("| --- | ---: | ---: | ---: | ---: |")  # noqa: T201
    for label, samples in rows:
        print(  # noqa: T201
            f"| {label} | {len(samples):,} | {statistics.median(samples):,.1f} µs "
            f"| {_p95(samples):,.1f} µs | {statistics.mean(samples):,.1f} µs |"
        )
    ratio = statistics.median(every_send) / statistics.median(cached)
    print(f"\nCompiling on every send is {ratio:,.0f}× slower (median against median).")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
