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
    auth_mode: str  # demo, header or oidc
    access_file: Path
    secret_key: str | None
    trusted_proxies: tuple[str, ...]
    auth_user_header: str
    auth_groups_header: str
    oidc_issuer: str | None
    oidc_client_id: str | None
    oidc_client_secret: str | None
    allowed_hosts: tuple[str, ...]
    max_request_bytes: int
    export_rate: str

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
    "MSB_AUTH_MODE": "sign-in: demo (personas; default with the demo warehouse), header or oidc",
    "MSB_ACCESS_FILE": "YAML file mapping users and groups to role, units and rights",
    "MSB_SECRET_KEY": "key that signs the session cookie (same for every worker)",
    "MSB_TRUSTED_PROXIES": "comma-separated addresses whose identity headers are believed",
    "MSB_AUTH_USER_HEADER": "header with the user id set by the trusted proxy",
    "MSB_AUTH_GROUPS_HEADER": "header with the user's groups (comma-separated) set by the proxy",
    "MSB_OIDC_ISSUER": "OpenID Connect issuer URL (Entra ID: .../TENANT/v2.0)",
    "MSB_OIDC_CLIENT_ID": "OpenID Connect client id",
    "MSB_OIDC_CLIENT_SECRET": "OpenID Connect client secret",
    "MSB_ALLOWED_HOSTS": "comma-separated Host names the app answers to",
    "MSB_MAX_REQUEST_BYTES": "largest request body accepted",
    "MSB_EXPORT_RATE": "how many Excel exports a user may make (Flask-Limiter syntax)",
}


def _listed(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


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
            auth_mode=env.get(
                "MSB_AUTH_MODE", "demo" if not env.get("MSB_WAREHOUSE_URL") else "header"
            ),
            access_file=Path(env.get("MSB_ACCESS_FILE", ROOT / "access.yaml")),
            secret_key=env.get("MSB_SECRET_KEY") or None,
            trusted_proxies=_listed(env.get("MSB_TRUSTED_PROXIES", "")),
            auth_user_header=env.get("MSB_AUTH_USER_HEADER", "X-Remote-User"),
            auth_groups_header=env.get("MSB_AUTH_GROUPS_HEADER", "X-Remote-Groups"),
            oidc_issuer=env.get("MSB_OIDC_ISSUER") or None,
            oidc_client_id=env.get("MSB_OIDC_CLIENT_ID") or None,
            oidc_client_secret=env.get("MSB_OIDC_CLIENT_SECRET") or None,
            allowed_hosts=_listed(env.get("MSB_ALLOWED_HOSTS", "127.0.0.1,localhost")),
            max_request_bytes=int(env.get("MSB_MAX_REQUEST_BYTES", str(1024 * 1024))),
            export_rate=env.get("MSB_EXPORT_RATE", "20 per hour"),
        )
    except ValueError as error:
        raise SystemExit(f"Ugyldig indstilling: {error}") from None
