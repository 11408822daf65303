"""The application's use cases, called by routes and activities alike.

The only code that holds the Temporal client.
"""
