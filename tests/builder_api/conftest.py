"""An API client wired to a real database, a real Temporal dev server and a running worker."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service.auth import Role, ensure_token
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from tests.conftest import ADMIN_TOKEN


@dataclass
class Api:
    http: httpx.AsyncClient
    settings: Settings

    async def create_automation(self, body: dict[str, Any]) -> str:
        response = await self.http.post("/api/v1/automations", json=body)
        assert response.status_code == 201, response.text
        automation_id: str = response.json()["id"]
        return automation_id

    async def journeys(self, cart_id: str, automation_id: str) -> list[dict[str, Any]]:
        """The cart's journeys in this test's automation (the Temporal server outlives a test)."""
        params = {"cart_id": cart_id, "automation_id": automation_id}
        response = await self.http.get("/api/v1/journeys", params=params)
        assert response.status_code == 200, response.text
        journeys: list[dict[str, Any]] = response.json()
        return journeys

    async def outbox(self, to: str) -> list[dict[str, Any]]:
        response = await self.http.get("/api/v1/outbox", params={"to": to})
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()
        return messages

    def token(self, role: Role) -> dict[str, str]:
        """Headers carrying a new token of this role."""
        raw = f"test-{role}-token"
        with session_scope(self.settings.resolved_database_url) as session:
            ensure_token(session, raw, name=f"test {role}", role=role)
        return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
async def api(settings: Settings, dev_server_env: WorkflowEnvironment) -> AsyncIterator[Api]:
    target = dev_server_env.client.service_client.config.target_host
    settings = settings.model_copy(update={"temporal_address": target})
    prepare(settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        build_worker(dev_server_env.client, settings),
        httpx.AsyncClient(
            transport=transport,
            base_url="http://boomerang.test",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        ) as http,
    ):
        yield Api(http=http, settings=settings)
