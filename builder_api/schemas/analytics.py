"""Results: the overview and an automation's results, as the use case builds them
(engine/language/results.py; docs/analytics.md defines each figure)."""

from engine.language.results import (
    ABTestResults,
    Amount,
    Arm,
    AutomationResults,
    ConvertedTotal,
    Day,
    EmailFunnel,
    HoldoutResults,
    Overview,
    StepResults,
    Totals,
    VariantResults,
    VersionResults,
)

__all__ = [
    "ABTestResults",
    "Amount",
    "Arm",
    "AutomationResults",
    "ConvertedTotal",
    "Day",
    "EmailFunnel",
    "HoldoutResults",
    "Overview",
    "StepResults",
    "Totals",
    "VariantResults",
    "VersionResults",
]
