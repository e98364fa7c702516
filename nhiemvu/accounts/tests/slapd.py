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
# The sync reads everyone in pages; OpenLDAP caps a search at 500 entries unless the reader may
# page past it (README: the directory's administrator grants this to nhiemvu's account).
limits dn.exact="{service}" size.prtotal=unlimited
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
        self.ldaps_url = ""  # with tls=True
        self.ca_file = ""

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


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate it signs for 127.0.0.1: (CA, certificate, key)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    # Wide validity: the tests travel in time, OpenSSL checks the machine's real clock.
    since, until = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)

    def made(subject: str, key: Any, issuer: Any, issuer_key: Any, ca: bool) -> Any:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(issuer or name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(since)
            .not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
            builder = builder.add_extension(san, critical=False)
        return builder.sign(issuer_key or key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = made("nhiemvu test CA", ca_key, None, None, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = made("127.0.0.1", key, ca.subject, ca_key, ca=False)
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"slapd did not start (exit {process.poll()})") from None
            time.sleep(0.05)


@contextmanager
def running(*, tls: bool = False, ldif: Path = LDIF) -> Iterator[Slapd]:
    """A fresh slapd with the demo people (or ``ldif``'s), stopped and removed afterwards.
    ``tls``: also a certificate from a throwaway CA (``Slapd.ca_file``), StartTLS and an
    ldaps:// port."""
    folder = Path(tempfile.mkdtemp(prefix="nhiemvu-slapd-"))
    try:
        (folder / "data").mkdir()
        conf = folder / "slapd.conf"
        text = _CONF.format(
            dir=folder, base=BASE, root=ROOT_DN, rootpw=ROOT_PASSWORD, service=SERVICE_DN
        )
        if tls:
            ca, cert, key = _certificates(folder)
            # Global directives: before the first "database" line.
            text = text.replace(
                "\ndatabase mdb",
                f"\nTLSCACertificateFile {ca}\nTLSCertificateFile {cert}\n"
                f"TLSCertificateKeyFile {key}\n\ndatabase mdb",
                1,
            )
        conf.write_text(text)
        # Loaded offline: slapadd writes entryUUID and the other operational attributes.
        subprocess.run([SLAPADD, "-f", str(conf), "-l", str(ldif)], check=True, capture_output=True)
        port = _free_port()
        urls = f"ldap://127.0.0.1:{port}/"
        tls_port = _free_port() if tls else 0
        if tls:
            urls += f" ldaps://127.0.0.1:{tls_port}/"
        process = subprocess.Popen(
            [SLAPD, "-f", str(conf), "-h", urls, "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port, process)
            if tls:
                _wait_for(tls_port, process)
            server = Slapd(folder, port, process)
            if tls:
                server.ldaps_url = f"ldaps://127.0.0.1:{tls_port}"
                server.ca_file = str(folder / "ca.pem")
            yield server
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
