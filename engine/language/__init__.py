"""The languages Boomerang speaks, all pure: the automation definition and its
checks, diff and interpreter, the events shops send, and what crosses into Temporal."""
