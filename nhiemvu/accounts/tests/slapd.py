"""A throwaway OpenLDAP server for the directory tests (issue 30): Debian's slapd in a temporary
folder, a generated slapd.conf, the demo people of ldap/demo.ldif, a free port on 127.0.0.1.

Used by the `ldap`-marked tests (nhiemvu/accounts/tests/conftest.py) and the browser test
(e2e/test_sso_ldap.py). Needs `apt-get install slapd` (the CI's ldap step installs it); a test
asking for it on a machine without slapd fails, it is never skipped silently.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
LDIF = Path(__file__).parent / "ldap" / "demo.ldif"
BASE = "dc=gialai,dc=gov,dc=vn"
ROOT_DN = f"cn=admin,{BASE}"
ROOT_PASSWORD = "admin-secret"
SERVICE_DN = f"cn=nhiemvu,ou=services,{BASE}"
SERVICE_PASSWORD = "service-secret"
PASSWORDS = {
    "lan.nguyen": "Lan-mat-khau-2026",
    "binh.tran": "Binh-mat-khau-2026",
    "cuong.le": "Cuong-mat-khau-2026",
    "dung.pham": "Dung-mat-khau-2026",
    "hoa.vo": "Hoa-mat-khau-2026",
    "admin": "Admin-mat-khau-2026",
}
# The rules the demo directory is written for (README's example): codes in departmentNumber,
# unit names in ou, the leaders' group gives the head's role and the unit's group its unit.
RULES = {
    "org_code_claims": ["departmentNumber"],
    "department_claims": ["ou"],
    "group_claims": ["groups"],
    "org_groups": {f"cn=skhcn-canbo,ou=groups,{BASE}": "so-khcn"},
    "role_groups": {"nhiemvu-lanhdao": "head"},
    "contact": "Văn phòng UBND tỉnh (phòng Hành chính - Tổ chức)",
}

_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args

database mdb
maxsize 16777216
suffix "{base}"
rootdn "{root}"
rootpw {rootpw}
directory {dir}/data
# As a province's directory would be: passwords only checked, never read; nhiemvu's service
# account reads people and groups; nobody else reads anything.
access to attrs=userPassword
    by anonymous auth
    by * none
access to *
    by dn.exact="{service}" read
    by self read
    by * none
"""


def directory_settings(url: str, **overrides: Any) -> dict[str, Any]:
    """NHIEMVU_LDAP (nhiemvu/settings.py's keys) for the demo directory at ``url``."""
    return {
        "URL": url,
        "START_TLS": False,
        "CA_FILE": "",
        "BIND_DN": SERVICE_DN,
        "BIND_PASSWORD": SERVICE_PASSWORD,
        "USER_BASE": f"ou=people,{BASE}",
        "USER_FILTER": "(&(objectClass=inetOrgPerson)(uid={username}))",
        "SYNC_FILTER": "(objectClass=inetOrgPerson)",
        "GROUP_BASE": f"ou=groups,{BASE}",
        "GROUP_FILTER": "(&(objectClass=groupOfNames)(member={dn}))",
        "ID_ATTR": "entryUUID",
        "USERNAME_ATTR": "uid",
        "NAME_ATTR": "cn",
        "EMAIL_ATTR": "mail",
        "CLAIM_ATTRS": ["departmentNumber", "ou"],
        "TIMEOUT": 5,
        **overrides,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Slapd:
    """A running slapd loaded with the demo people."""

    def __init__(self, folder: Path, port: int, process: subprocess.Popen[bytes]) -> None:
        self.folder = folder
        self.port = port
        self.process = process
        self.url = f"ldap://127.0.0.1:{port}"

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """NHIEMVU_LDAP for this server."""
        return directory_settings(self.url, **overrides)

    def admin(self) -> Any:
        """A connection as the directory's own administrator, to change people as a test needs."""
        import ldap3

        return ldap3.Connection(self.url, ROOT_DN, ROOT_PASSWORD, auto_bind=True)

    def delete(self, uid: str) -> None:
        with self.admin() as conn:
            assert conn.delete(f"uid={uid},ou=people,{BASE}"), conn.result

    def replace(self, uid: str, **attrs: str) -> None:
        import ldap3

        changes = {name: [(ldap3.MODIFY_REPLACE, [value])] for name, value in attrs.items()}
        with self.admin() as conn:
            assert conn.modify(f"uid={uid},ou=people,{BASE}", changes), conn.result


@contextmanager
def running() -> Iterator[Slapd]:
    """A fresh slapd with the demo people, stopped and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="nhiemvu-slapd-"))
    try:
        (folder / "data").mkdir()
        conf = folder / "slapd.conf"
        conf.write_text(
            _CONF.format(
                dir=folder, base=BASE, root=ROOT_DN, rootpw=ROOT_PASSWORD, service=SERVICE_DN
            )
        )
        # Loaded offline: slapadd writes entryUUID and the other operational attributes.
        subprocess.run([SLAPADD, "-f", str(conf), "-l", str(LDIF)], check=True, capture_output=True)
        port = _free_port()
        process = subprocess.Popen(
            [SLAPD, "-f", str(conf), "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"slapd did not start (exit {process.poll()})") from None
                    time.sleep(0.05)
            yield Slapd(folder, port, process)
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
