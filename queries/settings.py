"""Settings, all from environment variables; the embedded demo needs none of them.

Every setting is listed in README.md ("Indstillinger"); a test keeps the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    warehouse_url: str | None
    demo_path: Path
    catalogue_path: Path
    query_timeout_s: float
    cache_url: str | None
    app_db_url: str
    cache_timeout_s: int
    warm_cache: bool
    host: str
    port: int
    debug: bool

    @property
    def uses_demo(self) -> bool:
        return self.warehouse_url is None

    @property
    def effective_warehouse_url(self) -> str:
        return self.warehouse_url or f"duckdb:///{self.demo_path}"


SETTINGS_DOC = {
    "MSB_WAREHOUSE_URL": "SQLAlchemy URL of the warehouse; unset means the embedded demo",
    "MSB_DEMO_PATH": "where the demo warehouse file is generated",
    "MSB_CATALOGUE": "path to kpi_definitions.yaml",
    "MSB_QUERY_TIMEOUT": "seconds a warehouse query may run",
    "MSB_CACHE_URL": "redis:// URL for the shared cache; unset means in-process",
    "MSB_APP_DB_URL": "SQLAlchemy URL of the app's own database (audit log)",
    "MSB_CACHE_TIMEOUT": "seconds a cached lens result lives",
    "MSB_WARM_CACHE": "1 (default) computes every KPI for every unit in the background at start",
    "MSB_HOST": "address the development server listens on",
    "PORT": "port the development server listens on",
    "MSB_DEBUG": "1 turns on Dash's debug mode",
}


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    try:
        return Settings(
            warehouse_url=env.get("MSB_WAREHOUSE_URL") or None,
            demo_path=Path(env.get("MSB_DEMO_PATH", ROOT / "data" / "demo.duckdb")),
            catalogue_path=Path(env.get("MSB_CATALOGUE", ROOT / "kpi_definitions.yaml")),
            query_timeout_s=float(env.get("MSB_QUERY_TIMEOUT", "30")),
            cache_url=env.get("MSB_CACHE_URL") or None,
            app_db_url=env.get("MSB_APP_DB_URL", f"sqlite:///{ROOT / 'data' / 'app.sqlite'}"),
            cache_timeout_s=int(env.get("MSB_CACHE_TIMEOUT", "3600")),
            warm_cache=env.get("MSB_WARM_CACHE", "1") == "1",
            host=env.get("MSB_HOST", "127.0.0.1"),
            port=int(env.get("PORT", "8050")),
            debug=env.get("MSB_DEBUG", "") == "1",
        )
    except ValueError as error:
        raise SystemExit(f"Ugyldig indstilling: {error}") from None
