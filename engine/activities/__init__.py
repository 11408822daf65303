"""Every Temporal activity: all I/O of a journey, one action per module (`@action`, see
engine.language.actions), the purchase check, abandonment detection; `runner` gives the
worker all of them."""
