"""Request and response shapes of the API (its public contract, shown in OpenAPI), one
module per resource. Results that a use case returns as they are answered (the bulk
results in `engine.language.journey_results`) are defined once, in the core.

The shapes the `boomerang` client reads (events, automations, journeys, carts, health,
errors) import only pydantic and the pure language, never the store or the services:
building an answer from the store's rows happens beside the routes
(`builder_api.automation_answers`). The import rules check it."""
