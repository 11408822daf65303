"""The builder's step-form tests render every built-in action from a committed copy of the
catalog: that copy must be the catalog the API gives today."""

import json

from builder_api.export_catalog_fixture import FIXTURE, REFRESH, catalog_fixture


def test_the_builders_catalog_fixture_is_current() -> None:
    committed = json.loads(FIXTURE.read_text(encoding="utf-8"))

    assert committed == catalog_fixture(), f"run `{REFRESH}` and commit the result"


def test_it_holds_every_built_in_action() -> None:
    names = {action["name"] for action in catalog_fixture()["actions"]}

    assert names >= {"send_email", "create_discount", "notify_owner", "send_webhook",
                     "tag_customer", "mark_cart_lost"}  # fmt: skip
