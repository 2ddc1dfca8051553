"""gunicorn for MSB i tal: `gunicorn -c gunicorn.conf.py app:server` (see README, Drift).

The settings, catalogue and access file are checked once, in the master, before any
worker starts, and the app database is migrated there: a wrong file stops the service
once with its messages instead of a restart loop, and a warehouse that is away does not
stop it at all.
"""

import os
import subprocess
import sys
from pathlib import Path

from ops.logs import GUNICORN_LOGCONFIG
from ops.memory import return_freed_memory

HERE = Path(__file__).resolve().parent
bind = "127.0.0.1:8050"  # behind the reverse proxy; never on a public interface
workers = 4
worker_class = "gthread"  # threads carry slow warehouse calls without blocking a worker
threads = 4
timeout = 90  # above the longest deadline (MSB_QUERY_TIMEOUT + cube builds in threads)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (jitter keeps them from doing it together). A page view is
# some eight requests and a new worker costs seconds of CPU before it is warm, so not often.
max_requests = 20_000
max_requests_jitter = 2_000
# Each worker touches its heartbeat file twice per request: on tmpfs that costs nothing.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
logconfig_dict = GUNICORN_LOGCONFIG


def on_starting(server) -> None:
    from appdb import open_app_db
    from queries.check import WRONG
    from queries.settings import load_settings

    # The check runs in a process of its own: a DuckDB opened in the master leaves threads
    # behind that every forked worker inherits, and each worker then dies of SIGSEGV.
    checked = subprocess.run(
        [sys.executable, "-m", "queries", "check"], cwd=HERE, stdout=sys.stderr, check=False
    )
    if checked.returncode == WRONG:
        sys.exit(1)
    try:  # migrated once here, so the workers find the app database at the newest revision
        open_app_db(load_settings().app_db_url).dispose()
    except Exception as error:
        print(f"App-databasen kan ikke åbnes eller opgraderes: {error}", file=sys.stderr)
        sys.exit(1)


def post_fork(server, worker) -> None:
    # Large freed blocks go back to the system instead of staying in the worker's heap
    # (ops/memory.py); some 30 MB less per worker after a load.
    return_freed_memory()
