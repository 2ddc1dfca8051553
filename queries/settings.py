"""Settings, all from environment variables; the embedded demo needs none of them.

Every setting is listed in README.md ("Indstillinger"); a test keeps the two in step.
A bad value stops the app at start with a Danish message that names the variable and
what it accepts — never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
AUTH_MODES = ("demo", "header", "oidc")
T = TypeVar("T")


class SettingsError(SystemExit):
    """Every bad setting at once, in Danish; SystemExit so the process ends without a trace."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("MSB i tal starter ikke: ugyldige indstillinger.\n" + "\n".join(problems))


@dataclass(frozen=True)
class Settings:
    warehouse_url: str | None
    demo_path: Path
    catalogue_path: Path
    query_timeout_s: float
    cube_timeout_s: float
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
    # DuckDB only (the demo, or a DuckDB warehouse): per process, shared by the pages'
    # and the cube builder's engines (one DuckDB instance per file and process).
    duckdb_memory_mb: int = 1024
    duckdb_threads: int = 2

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


class _Reader:
    """Reads one variable at a time and collects every problem, so all are told at once."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str, default: str) -> str:
        return self.env.get(name, default)

    def optional(self, name: str) -> str | None:
        return self.env.get(name) or None

    def parsed(self, name: str, default: str, parse: Callable[[str], T], accepts: str) -> T:
        raw = self.env.get(name, default).strip()
        try:
            return parse(raw)
        except ValueError:
            self.problems.append(f"{name}={raw!r}: {accepts}.")
            return parse(default)

    def number(self, name: str, default: str, low: float, high: float, whole: bool = False):
        def parse(raw: str) -> float | int:
            value = int(raw) if whole else float(raw)
            if not low <= value <= high:
                raise ValueError(raw)
            return value

        kind = "et helt tal" if whole else "et tal"
        return self.parsed(name, default, parse, f"skal være {kind} fra {low:g} til {high:g}")

    def flag(self, name: str, default: str) -> bool:
        def parse(raw: str) -> bool:
            if raw not in ("0", "1", ""):
                raise ValueError(raw)
            return raw == "1"

        return self.parsed(name, default, parse, "skal være 1 (til) eller 0 (fra)")

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        def parse(raw: str) -> str:
            if raw not in choices:
                raise ValueError(raw)
            return raw

        return self.parsed(name, default, parse, "skal være en af " + ", ".join(choices))


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """All settings; raises SettingsError (a SystemExit) naming every bad variable."""
    env = os.environ if environ is None else environ
    read = _Reader(env)
    warehouse_url = read.optional("MSB_WAREHOUSE_URL")
    settings = Settings(
        warehouse_url=warehouse_url,
        demo_path=Path(read.text("MSB_DEMO_PATH", str(ROOT / "data" / "demo.duckdb"))),
        catalogue_path=Path(read.text("MSB_CATALOGUE", str(ROOT / "kpi_definitions.yaml"))),
        # 0 used to mean "no limit" by accident; every query now has a deadline.
        query_timeout_s=read.number("MSB_QUERY_TIMEOUT", "30", 0.5, 3600),
        cube_timeout_s=read.number("MSB_CUBE_TIMEOUT", "600", 1, 86400),
        cache_url=read.optional("MSB_CACHE_URL"),
        app_db_url=read.text("MSB_APP_DB_URL", f"sqlite:///{ROOT / 'data' / 'app.sqlite'}"),
        cache_timeout_s=read.number("MSB_CACHE_TIMEOUT", "3600", 1, 10**7, whole=True),
        warm_cache=read.flag("MSB_WARM_CACHE", "1"),
        host=read.text("MSB_HOST", "127.0.0.1"),
        port=read.number("PORT", "8050", 1, 65535, whole=True),
        debug=read.flag("MSB_DEBUG", "0"),
        auth_mode=read.choice("MSB_AUTH_MODE", "header" if warehouse_url else "demo", AUTH_MODES),
        access_file=Path(read.text("MSB_ACCESS_FILE", str(ROOT / "access.yaml"))),
        secret_key=read.optional("MSB_SECRET_KEY"),
        trusted_proxies=_listed(read.text("MSB_TRUSTED_PROXIES", "")),
        auth_user_header=read.text("MSB_AUTH_USER_HEADER", "X-Remote-User"),
        auth_groups_header=read.text("MSB_AUTH_GROUPS_HEADER", "X-Remote-Groups"),
        oidc_issuer=read.optional("MSB_OIDC_ISSUER"),
        oidc_client_id=read.optional("MSB_OIDC_CLIENT_ID"),
        oidc_client_secret=read.optional("MSB_OIDC_CLIENT_SECRET"),
        allowed_hosts=_listed(read.text("MSB_ALLOWED_HOSTS", "127.0.0.1,localhost")),
        max_request_bytes=read.number(
            "MSB_MAX_REQUEST_BYTES", str(1024 * 1024), 1024, 10**9, whole=True
        ),
        export_rate=read.text("MSB_EXPORT_RATE", "20 per hour"),
        duckdb_memory_mb=read.number("MSB_DUCKDB_MEMORY_MB", "600", 64, 10**6, whole=True),
        duckdb_threads=read.number("MSB_DUCKDB_THREADS", "2", 1, 256, whole=True),
    )
    if settings.auth_mode == "oidc" and not (
        settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
    ):
        read.problems.append(
            "MSB_AUTH_MODE=oidc kræver MSB_OIDC_ISSUER, MSB_OIDC_CLIENT_ID og "
            "MSB_OIDC_CLIENT_SECRET."
        )
    if settings.auth_mode == "demo" and not settings.uses_demo:
        read.problems.append(
            "MSB_AUTH_MODE=demo er kun for demo-datavarehuset; vælg header eller oidc, når "
            "MSB_WAREHOUSE_URL er sat."
        )
    if read.problems:
        raise SettingsError(read.problems)
    return settings
