"""The languages Boomerang speaks, all pure: the automation definition and its checks, diff
and interpreter (with its conditions and local-time rules), the action catalogue, the events
shops send, and what crosses into Temporal."""
