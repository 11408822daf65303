"""Results as the API answers them: the overview and an automation's results (docs/analytics.md
defines each figure). Pure, like engine/language/journey_results.py: the use case builds
them and the API answers them as they are.

Rates are percents with one decimal (null when there is nothing to divide by); amounts are
strings with two decimals, one per currency (never added across currencies)."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class Amount(BaseModel):
    currency: str
    amount: str = Field(examples=["280.77"])


class ConvertedTotal(BaseModel):
    """Amounts in several currencies converted into the shop's with the shop's rates."""

    currency: str = Field(description="The shop's currency")
    amount: str = Field(examples=["1148.00"])
    rates_set_on: date = Field(description="The day the shop set the rates used")


class EmailFunnel(BaseModel):
    sent: int
    delivered: int
    opened: int = Field(description="Opened by a person (Apple's privacy proxy not counted)")
    proxy_opened: int = Field(description="Opened by a privacy proxy (Brevo's `proxy_open`)")
    clicked: int
    bounced: int
    unsubscribed: int
    delivery_rate: float | None = Field(description="delivered / sent, percent")
    open_rate: float | None = Field(description="opened / delivered, percent")
    click_rate: float | None = Field(description="clicked / delivered, percent")
    bounce_rate: float | None = Field(description="bounced / sent, percent")
    unsubscribe_rate: float | None = Field(description="unsubscribed / delivered, percent")


class Day(BaseModel):
    date: date
    abandoned: int
    recovered: int
    revenue: list[Amount]
    sent: int
    opened: int
    clicked: int


class Totals(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    carts_abandoned: int
    carts_contactable: int = Field(description="With an email address that is not suppressed")
    carts_entered: int = Field(description="Entered an automation")
    carts_recovered: int
    abandonment_rate: float | None = Field(
        description="Carts created in the period that were abandoned, of those abandoned or "
        "ordered, percent"
    )
    recovery_rate: float | None = Field(description="recovered / abandoned, percent")
    revenue: list[Amount] = Field(description="Recovered revenue, one amount per currency")
    revenue_converted: ConvertedTotal | None = Field(
        None,
        description="The revenue in the shop's currency, converted with the shop's rates; "
        "only when rates are set and every currency of the revenue has one",
    )
    emails: EmailFunnel
    median_time_to_recovery: str | None = Field(examples=["4h32m"])


class Overview(Totals):
    daily: list[Day]


class VersionResults(BaseModel):
    version: int
    entered: int
    recovered: int
    recovery_rate: float | None
    sent: int


class StepResults(BaseModel):
    step_id: str
    variant: str | None = Field(description="The A/B variant whose branch holds the step")
    sent: int
    delivered: int
    opened: int
    clicked: int
    recovered: int = Field(description="Recoveries attributed to this step's emails")


class VariantResults(BaseModel):
    name: str
    entered: int
    sent: int
    clicked: int
    recovered: int
    recovery_rate: float | None
    probability_best: float | None = Field(
        description="Posterior probability that its recovery rate is the highest (0-1)"
    )


class ABTestResults(BaseModel):
    step_id: str
    variants: list[VariantResults]
    winner: str | None
    verdict: str


class Arm(BaseModel):
    carts: int
    recovered: int
    rate: float | None


class HoldoutResults(BaseModel):
    percent: int
    treated: Arm
    held_out: Arm
    lift: float | None = Field(description="treated rate - held-out rate, percentage points")
    interval: tuple[float, float] | None = Field(
        description="95 % interval of the lift (Newcombe's hybrid score), percentage points"
    )
    enough_data: bool
    verdict: str


class AutomationResults(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    automation_id: str
    name: str
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    totals: Totals
    versions: list[VersionResults]
    steps: list[StepResults]
    ab_tests: list[ABTestResults]
    holdout: HoldoutResults | None
    daily: list[Day]
