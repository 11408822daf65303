"""Boomerang's core: the automation language, journeys, the store and the use cases."""
