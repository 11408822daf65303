"""Chaos (`make chaos`): SIGKILL the stack's processes while shops post, then check
the invariants."""
