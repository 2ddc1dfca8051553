"""Running the app: logs an operator can use, health, gunicorn hooks."""
