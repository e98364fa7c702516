"""/metrics' database numbers (issue 31 item 3): a pooled process's pool use (DB_POOL=1,
psycopg_pool) and PostgreSQL's connections from every node."""

from __future__ import annotations

import re
import unittest
from typing import Any

from django.db import connection, connections
from django.test import TestCase, TransactionTestCase, override_settings

TOKEN = "s3cret-metrics-token-for-the-pool-tests"


def value(text: str, name: str, labels: str) -> float | None:
    found = re.search(rf"^{name}{{{re.escape(labels)}}} (\S+)$", text, re.M)
    return float(found[1]) if found else None


@override_settings(METRICS_TOKEN=TOKEN)
class DatabaseMetricsTest(TestCase):
    def scrape(self) -> str:
        response = self.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_without_a_pool_no_pool_is_reported(self) -> None:
        text = self.scrape()
        self.assertNotIn('nhiemvu_db_pool_size{database="default"}', text)
        if connection.vendor == "postgresql":
            # The scrape's own query is one active connection.
            active = value(text, "nhiemvu_db_connections", 'state="active"')
            assert active is not None
            self.assertGreaterEqual(active, 1)
        else:
            self.assertNotIn("nhiemvu_db_connections", text)


@unittest.skipUnless(connection.vendor == "postgresql", "psycopg's pool (make test-pg)")
@override_settings(METRICS_TOKEN=TOKEN)
class PoolMetricsTest(TransactionTestCase):
    """A second alias to the test database with settings.py's DB_POOL=1 options (a pool of two
    connections, filled before the test so that its size does not move under it), beside the
    test's own connection. A transaction test: a TestCase would hold one of the pool's
    connections in its transaction throughout."""

    ALIAS = "pooled"
    databases = {"default", ALIAS}

    @classmethod
    def setUpClass(cls) -> None:
        connections.settings[cls.ALIAS] = {
            **connection.settings_dict,
            "CONN_MAX_AGE": 0,
            "OPTIONS": {
                **connection.settings_dict["OPTIONS"],
                "pool": {"min_size": 2, "max_size": 2},
            },
        }
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        pooled: Any = connections[cls.ALIAS]  # PostgreSQL's wrapper: close_pool, pool
        pooled.close()
        pooled.close_pool()
        del connections[cls.ALIAS]
        connections.settings.pop(cls.ALIAS)

    def setUp(self) -> None:
        self.pooled: Any = connections[self.ALIAS]

    def scrape(self) -> str:
        response = self.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def pool(self, text: str) -> dict[str, float | None]:
        return {
            key: value(text, f"nhiemvu_db_{key}", f'database="{self.ALIAS}"')
            for key in ("pool_size", "pool_available", "pool_max", "requests_waiting")
        }

    def test_the_pool_in_use_and_idle(self) -> None:
        pool = self.pooled.pool
        pool.open()
        pool.wait(timeout=10)
        self.pooled.ensure_connection()  # a request holding one of the pool's connections
        busy = self.pool(self.scrape())
        self.assertEqual(
            busy,
            {"pool_size": 2, "pool_available": 1, "pool_max": 2, "requests_waiting": 0},
        )
        self.pooled.close()  # the request ends: its connection goes back to the pool
        idle = self.pool(self.scrape())
        self.assertEqual(idle["pool_available"], 2)
        text = self.scrape()
        # The server sees this pool's two connections beside the test's own.
        counted = sum(
            float(n) for n in re.findall(r"^nhiemvu_db_connections\{[^}]*\} (\S+)$", text, re.M)
        )
        self.assertGreaterEqual(counted, 3)
