"""pandas and numpy wait until something needs them: the start answers without them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from queries import lazy
from queries.data_range import as_date
from queries.settings import ROOT


def test_a_stand_in_is_the_real_module_once_looked_at():
    stand_in = lazy.LazyModule("json")
    assert stand_in.dumps({"a": 1}) == '{"a": 1}'
    import json

    assert stand_in.dumps is json.dumps
    assert "dumps" in vars(stand_in)  # copied: later looks are plain attributes
    with pytest.raises(AttributeError):
        stand_in.no_such_name  # noqa: B018


def test_the_stand_ins_give_pandas_and_numpy_themselves():
    import numpy as np

    assert lazy.pandas.DataFrame is pd.DataFrame
    assert lazy.numpy.ndarray is np.ndarray
    assert isinstance(lazy.pandas.Timestamp("2026-01-31"), pd.Timestamp)


def test_threads_looking_at_once_all_get_the_module():
    stand_in = lazy.LazyModule("fractions")
    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(stand_in.Fraction)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from fractions import Fraction

    assert found == [Fraction] * 8


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 14, 6, 39),
        date(2026, 3, 14),
        "2026-03-14",
        "2026-03-14 06:39:00",
        "2026-03-14 06:39:00.000000",
        pd.Timestamp("2026-03-14 06:39"),
        pd.Timestamp("2026-03-14").to_datetime64(),
    ],
)
def test_a_date_reads_as_pandas_read_it(value):
    assert as_date(value) == pd.Timestamp(value).date()


def test_the_app_answers_its_first_request_without_pandas(duckdb_path: Path, tmp_path: Path):
    """Built and asked for /healthz in a fresh interpreter (this one has pandas already)."""
    script = textwrap.dedent(
        """
        import sys
        from dashboard import create_app
        from queries.bootstrap import open_warehouse
        from queries.settings import load_settings

        settings = load_settings()
        app = create_app(open_warehouse(settings), settings)
        assert app.server.test_client().get("/healthz").status_code == 200
        print(sorted(m for m in ("pandas", "numpy") if m in sys.modules))
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "MSB_DEMO_PATH": str(duckdb_path),
        "MSB_APP_DB_URL": f"sqlite:///{tmp_path / 'app.sqlite'}",
        "MSB_WARM_CACHE": "0",
        "MSB_SECRET_KEY": "test",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
