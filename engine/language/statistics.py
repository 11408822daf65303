"""The statistics of the results page, pure (no I/O, no clock), deterministic.

- Wilson's score interval for one proportion, and Newcombe's hybrid score interval for the
  difference of two independent proportions (Newcombe 1998, "Interval estimation for the
  difference between independent proportions", method 10): the holdout lift.
- The probability that each arm of an A/B test has the highest rate, under independent
  Beta(1 + successes, 1 + failures) posteriors (a uniform prior), by Monte Carlo with a fixed
  seed: the same counts give the same answer every time.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the standard normal's 97.5 % quantile
DRAWS = 10_000  # Monte Carlo draws: a standard error under 0.005 on each probability
SEED = 14


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: int, trials: int, z: float = Z_95) -> Interval:
    """Wilson's score interval for `successes / trials` (trials > 0)."""
    if trials <= 0:
        raise ValueError("an interval needs at least one trial")
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    denominator = 1 + z2 / trials
    return Interval((centre - spread) / denominator, (centre + spread) / denominator)


def newcombe_difference(
    successes_1: int, trials_1: int, successes_2: int, trials_2: int, z: float = Z_95
) -> tuple[float, Interval]:
    """`p1 - p2` and its hybrid score interval (Newcombe's method 10), from each arm's
    Wilson interval."""
    p1, p2 = successes_1 / trials_1, successes_2 / trials_2
    one, two = wilson(successes_1, trials_1, z), wilson(successes_2, trials_2, z)
    difference = p1 - p2
    below = math.sqrt((p1 - one.low) ** 2 + (two.high - p2) ** 2)
    above = math.sqrt((one.high - p1) ** 2 + (p2 - two.low) ** 2)
    return difference, Interval(difference - below, difference + above)


def probability_best(
    arms: Sequence[tuple[int, int]], draws: int = DRAWS, seed: int = SEED
) -> list[float]:
    """For each `(successes, trials)` arm, the posterior probability that its rate is the
    highest (ties, almost impossible with continuous draws, go to the first)."""
    if not arms:
        return []
    rng = random.Random(seed)
    wins = [0] * len(arms)
    for _ in range(draws):
        samples = [rng.betavariate(1 + s, 1 + max(t - s, 0)) for s, t in arms]
        wins[max(range(len(arms)), key=samples.__getitem__)] += 1
    return [count / draws for count in wins]


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percent(part: int, whole: int) -> float | None:
    """`part / whole` in percent with one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def compact_duration(seconds: float) -> str:
    """`4h32m`, `2d3h`, `45m`, `30s`: the largest two units, as PRODUCT.md's `time_to_recover`."""
    total = round(seconds)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    while len(parts) > 1 and parts[0][0] == 0:
        parts.pop(0)
    shown = parts[:2]
    while len(shown) > 1 and shown[-1][0] == 0:
        shown.pop()
    return "".join(f"{value}{unit}" for value, unit in shown)
