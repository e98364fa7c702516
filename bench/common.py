"""What the benchmarks share: peak memory and a PostgreSQL database made on demand."""

from __future__ import annotations

import resource


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ensure_database(url: str) -> None:
    """Create the database named at the end of ``url`` if the server does not have it."""
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
