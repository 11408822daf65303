"""Deterministic workflow code only: stdlib, temporalio and pure engine modules."""
