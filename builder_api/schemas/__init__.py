"""Request and response shapes of the API (its public contract, shown in OpenAPI), one
module per resource. Results that a use case returns as they are answered (the bulk
results of `engine.service.journeys`) are defined once, in the core."""
