"""`manage.py accounts sync` against a real slapd holding N people (issue 30).

    .venv/bin/python bench/directory_sync.py [-n 2000]

A throwaway SQLite database with 60 agencies, a throwaway slapd (nhiemvu/accounts/tests/slapd.py)
with N people (half placed by an organisation code, half by the unit's name, 1 in 50 by no rule),
then: the first sync opening every account (--create), the same sync again (nothing changes),
and a sync after 5 % left the directory and 5 % moved. Prints each run's CPU seconds in this
process (slapd's own CPU not included), wall seconds and counts; and resolving every person with
the organisations loaded once (what the sync does) against loading them per person.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BASE = "dc=gialai,dc=gov,dc=vn"


def ldif(n: int, agencies: list[tuple[str, str]]) -> str:
    from nhiemvu.accounts.tests.slapd import LDIF

    head = LDIF.read_text().split("# An agency officer")[0]  # the tree and the service account
    people = []
    for i in range(n):
        code, name = agencies[i % len(agencies)]
        placed = (
            "ou: Ban không có trong danh sách"
            if i % 50 == 49
            else (f"departmentNumber: {code}" if i % 2 else f"ou: {name}")
        )
        people.append(
            f"dn: uid=nguoi{i:05d},ou=people,{BASE}\nobjectClass: inetOrgPerson\n"
            f"uid: nguoi{i:05d}\ncn: Người thứ {i}\nsn: Người\n"
            f"mail: nguoi{i:05d}@gialai.gov.vn\n{placed}\nuserPassword: mat-khau-{i}\n"
        )
    return head + "\n".join(people)


def timed(label: str, fn: object) -> object:
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()  # type: ignore[operator]
    counts = dict(result) if isinstance(result, dict) else ""
    print(
        f"{label:<34} CPU {time.process_time() - cpu:6.2f} s   "
        f"wall {time.perf_counter() - wall:6.2f} s   {counts}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    n = parser.parse_args().n
    folder = Path(tempfile.mkdtemp(prefix="nhiemvu-bench-sync-"))
    os.environ["SQLITE_PATH"] = str(folder / "db.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from nhiemvu.accounts import ldap
    from nhiemvu.accounts.mapping import resolve
    from nhiemvu.accounts.tests.slapd import RULES, running
    from nhiemvu.orgs import matching
    from nhiemvu.orgs.models import Organisation, OrgKind

    call_command("migrate", verbosity=0)
    agencies = [(f"so-{i:03d}", f"Sở Thử nghiệm số {i}") for i in range(60)]
    Organisation.objects.bulk_create(
        Organisation(code=c, name=name, kind=OrgKind.DEPARTMENT) for c, name in agencies
    )
    source = folder / "people.ldif"
    source.write_text(ldif(n, agencies))
    with running(ldif=source) as slapd:
        settings.NHIEMVU_LDAP = slapd.settings(GROUP_BASE="")
        settings.NHIEMVU_ACCOUNT_RULES = {**RULES, "org_groups": {}, "role_groups": {}}
        print(f"{n} people, 60 agencies, SQLite, slapd {slapd.url}")
        timed("read the directory", lambda: {"listed": len(list(ldap.everyone()))})
        timed("first sync (--create)", lambda: ldap.sync(create=True))
        timed("second sync (nothing changes)", lambda: ldap.sync())
        for i in range(0, n, 20):
            slapd.delete(f"nguoi{i:05d}")
        for i in range(1, n, 20):
            code, _name = agencies[(i + 1) % len(agencies)]
            slapd.replace(f"nguoi{i:05d}", departmentNumber=code)
        timed("sync after 5 % left, 5 % moved", lambda: ldap.sync())
        people = list(ldap.everyone())
        directory = matching.Directory.load()
        timed(
            "resolve all, organisations once",
            lambda: {"placed": sum(resolve(p, directory=directory).allowed for p in people)},
        )
        timed(
            "resolve all, loaded per person",
            lambda: {"placed": sum(resolve(p).allowed for p in people)},
        )


if __name__ == "__main__":
    main()
