"""The lens compiler: KPI definitions in, SQLAlchemy Core selects out (never executed here)."""
