"""pandas and numpy, imported when first used instead of when the app starts.

Importing pandas (with numpy) takes about half a second of CPU, a quarter of the time
from `python app.py` to its first answer, and no start-up path uses it: /healthz, the
sign-in and the shell need no frame. The lenses, the cubes and the warm-up do, and the
app imports it in the background once it has answered (`ops/after_start.py`), so a page
opened after that half second does not wait for it.

    from queries.lazy import pandas as pd

`pd.DataFrame` then imports pandas on that first look and is the real class; the module's
names are copied onto the stand-in, so every later look is an ordinary attribute. Type
hints that name `pd.…` stay strings (`from __future__ import annotations`) and cost
nothing.
"""

from __future__ import annotations

import importlib
import threading
import types
from typing import Any

_lock = threading.Lock()


class LazyModule(types.ModuleType):
    """A stand-in for module `name` that imports it on the first attribute asked for."""

    def __getattr__(self, attribute: str) -> Any:
        # Python's import lock already makes concurrent first imports safe; this lock only
        # keeps two threads from copying the names at once.
        module = importlib.import_module(self.__name__)
        with _lock:
            if "__file__" not in self.__dict__:
                self.__dict__.update(
                    (k, v) for k, v in vars(module).items() if k not in ("__name__", "__spec__")
                )
        return getattr(module, attribute)


def load() -> None:
    """Import both now (for a background thread after the first answer)."""
    pandas.DataFrame  # noqa: B018 - the look itself imports pandas, numpy with it
    numpy.ndarray  # noqa: B018


pandas: Any = LazyModule("pandas")
numpy: Any = LazyModule("numpy")
