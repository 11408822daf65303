"""The two hands of a chaos run: one keeps the shops' posts coming (each to a random live
API, again under the same id until it is answered 2xx), the other SIGKILLs processes at
seeded moments and restarts each after a short pause."""

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import httpx

from chaos.plan import Post
from chaos.progress import note
from chaos.stack import KINDS, ChaosStack

REQUEST_TIMEOUT = 60.0  # a loaded host answers in seconds; a dead API fails at connect
RETRY_PAUSE = (0.2, 1.0)
# A post still refused this long after its first attempt is reported (never accepted). Not
# counted from its planned time: on a loaded host the shop itself falls behind its plan.
GIVE_UP_AFTER = 1800.0
CONCURRENT_POSTS = 16
Census = Callable[[], Awaitable[dict[str, int]]]


@dataclass
class Attempt:
    began: float  # wall-clock seconds (time.time()): the database's clock too
    ended: float
    answer: str  # the status code, or the transport error's name


@dataclass
class Delivery:
    """A post and what became of it."""

    post: Post
    attempts: list[Attempt] = field(default_factory=list)
    accepted_at: float | None = None  # when it was answered 2xx
    refused: str | None = None  # a 4xx: the stack refused what a shop sent

    def committed_by(self, moment: float) -> float | None:
        """When the attempt that was under way at `moment` ended: the event it stored was
        committed by then (None if no attempt spans it)."""
        for attempt in self.attempts:
            if attempt.began <= moment <= attempt.ended:
                return attempt.ended
        return None


@dataclass
class Kill:
    name: str
    at: float  # wall-clock seconds
    down_for: float
    # Journeys resting at each step just before the kill (Temporal's JourneyStep), if known.
    resting: dict[str, int] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.name.partition("-")[0]


class Shop:
    """Sends every post at its time; `deliveries` say what each got."""

    def __init__(self, stack: ChaosStack, seed: int) -> None:
        self.stack = stack
        self.random = random.Random(seed)
        self.deliveries: list[Delivery] = []

    async def send_all(self, posts: Sequence[Post], began: float) -> None:
        slots = asyncio.Semaphore(CONCURRENT_POSTS)
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
            async with asyncio.TaskGroup() as group:
                for post in posts:
                    delivery = Delivery(post)
                    self.deliveries.append(delivery)
                    group.create_task(self._deliver(http, slots, delivery, began))

    async def _deliver(self, http: httpx.AsyncClient, slots: asyncio.Semaphore,
                       delivery: Delivery, began: float) -> None:  # fmt: skip
        await asyncio.sleep(max(0.0, began + delivery.post.at - time.time()))
        deadline: float | None = None
        post = delivery.post
        while deadline is None or time.monotonic() < deadline:
            live = self.stack.live_apis()
            if not live:
                await asyncio.sleep(self.random.uniform(*RETRY_PAUSE))
                continue
            url = self.stack.api_url(self.random.choice(live)) + post.path
            async with slots:
                started = time.time()
                deadline = deadline or time.monotonic() + GIVE_UP_AFTER
                try:
                    response = await http.post(url, content=post.body, headers=dict(post.headers))
                    answer = str(response.status_code)
                except httpx.TransportError as error:
                    response, answer = None, type(error).__name__
                delivery.attempts.append(Attempt(started, time.time(), answer))
            if response is not None and response.is_success:
                delivery.accepted_at = delivery.attempts[-1].ended
                return
            if response is not None and response.status_code in (400, 401, 403, 404, 422):
                delivery.refused = f"{response.status_code} {response.text[:300]}"
                return
            await asyncio.sleep(self.random.uniform(*RETRY_PAUSE))


class Killer:
    """`per_kind` SIGKILLs of each kind of process, at seeded moments within `window`
    seconds, one at a time; each restarted after a pause of `pause` seconds."""

    def __init__(self, stack: ChaosStack, seed: int, per_kind: int, window: float,
                 census: Census | None = None,
                 pause: tuple[float, float] = (0.5, 4.0)) -> None:  # fmt: skip
        self.stack = stack
        self.census = census
        self.random = random.Random(seed)
        moments = [
            (self.random.uniform(3, window), kind) for kind in KINDS for _ in range(per_kind)
        ]
        self.schedule = sorted(moments)
        self.pause = pause
        self.kills: list[Kill] = []
        self.exited_alone: list[str] = []  # processes found dead that nobody killed

    async def run(self, began: float) -> None:
        for moment, kind in self.schedule:
            await asyncio.sleep(max(0.0, began + moment - time.time()))
            name = self.random.choice(self.stack.names(kind))
            await self.restart_the_dead()
            resting = await self._count_resting()
            at = time.time()
            # On the loop's threads, so the posts go on meanwhile. (A child started there
            # gets its parent-death signal when that thread ends: the executor's threads
            # live until the run's loop closes, and the stack is restarted then anyway.)
            await asyncio.to_thread(self.stack.kill, name)
            await asyncio.sleep(self.random.uniform(*self.pause))
            await asyncio.to_thread(self.stack.start, name)
            self.kills.append(Kill(name, at, time.time() - at, resting))
            note(f"SIGKILL {len(self.kills)}/{len(self.schedule)}: {name}, "
                 f"back after {time.time() - at:.1f} s")  # fmt: skip

    async def _count_resting(self) -> dict[str, int]:
        """Where the journeys are as the kill comes; nothing if Temporal cannot say soon."""
        if self.census is None:
            return {}
        try:
            return await asyncio.wait_for(self.census(), timeout=10)
        except Exception:  # a figure for the report, never a reason to stop the run
            return {}

    async def restart_the_dead(self) -> None:
        for name in self.stack.all_names:
            if not self.stack.alive(name):
                self.exited_alone.append(name)
                await asyncio.to_thread(self.stack.start, name)
