"""gunicorn for MSB i tal: `gunicorn -c gunicorn.conf.py app:server` (see README, Drift).

The catalogue and settings are checked once, in the master, before any worker starts: a
wrong catalogue stops the service once with the validate messages instead of a restart
loop, and a warehouse that is away does not stop it at all.
"""

import sys

from ops.logs import GUNICORN_LOGCONFIG

bind = "127.0.0.1:8050"  # behind the reverse proxy; never on a public interface
workers = 4
worker_class = "gthread"  # threads carry slow warehouse calls without blocking a worker
threads = 4
timeout = 90  # above the longest deadline (MSB_QUERY_TIMEOUT + cube builds in threads)
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then; jitter keeps them from doing it together
max_requests_jitter = 200
logconfig_dict = GUNICORN_LOGCONFIG


def on_starting(server) -> None:
    from queries.check import WRONG, check

    if check(out=sys.stderr) == WRONG:
        sys.exit(1)
