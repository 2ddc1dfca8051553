"""The web server around the Dash app: hardening, rate limits, usage events."""
