"""The province's directory (LDAP, Active Directory): sign-in and the sync (issue 30 item 2).

Sign-in: the service account finds the person's entry by the name they typed, then a second
connection binds as that entry with the password they typed; only a successful bind lets them
in. The password goes to the directory and nowhere else (the account here has an unusable
password). Their attributes and groups become an ``Identity`` and ``accounts.mapping`` decides
where they belong. Every connection and operation is bounded by ``TIMEOUT`` seconds; a
directory that does not answer means "not signed in", and the local accounts (before this
backend in AUTHENTICATION_BACKENDS) still work.

Settings: ``settings.NHIEMVU_LDAP`` (README "Thư mục người dùng (LDAP)").
"""

from __future__ import annotations

import logging
import ssl
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.db import transaction
from django.http import HttpRequest

from nhiemvu.accounts.mapping import Identity, Refused, deactivate, provision, resolve
from nhiemvu.accounts.models import ExternalAccount, Source, User
from nhiemvu.lib import workdays
from nhiemvu.orgs import matching

log = logging.getLogger("nhiemvu.accounts.ldap")

# The request attribute the login form reads to say why a directory person was refused.
REFUSAL_ATTR = "_nhiemvu_directory_refusal"
PAGE_SIZE = 500  # the sync reads the directory in pages of this many people


class DirectoryError(Exception):
    """The directory could not be reached or read (nothing was changed here)."""


def config() -> dict[str, Any]:
    return dict(settings.NHIEMVU_LDAP)


def _server(conf: dict[str, Any]) -> Any:
    import ldap3

    tls = ldap3.Tls(
        validate=ssl.CERT_REQUIRED,
        ca_certs_file=conf["CA_FILE"] or None,
        version=ssl.PROTOCOL_TLS_CLIENT,
    )
    return ldap3.Server(conf["URL"], connect_timeout=conf["TIMEOUT"], get_info=ldap3.NONE, tls=tls)


def connect(dn: str, password: str, conf: dict[str, Any] | None = None) -> Any:
    """A connection bound as ``dn``, or None when the directory refuses the credentials.
    Raises DirectoryError when it cannot be reached or StartTLS fails (never sends the password
    in clear when StartTLS was asked for)."""
    import ldap3
    from ldap3.core.exceptions import LDAPException

    conf = conf or config()
    conn = ldap3.Connection(
        _server(conf),
        user=dn,
        password=password,
        receive_timeout=conf["TIMEOUT"],
        read_only=True,
        raise_exceptions=False,
        auto_referrals=False,
    )
    try:
        conn.open()
        if conf["START_TLS"] and not conn.start_tls():
            conn.unbind()
            raise DirectoryError(f"StartTLS failed: {conn.result}")
        if not conn.bind():
            conn.unbind()
            return None
    except LDAPException as error:
        raise DirectoryError(str(error)) from error
    return conn


def _service(conf: dict[str, Any]) -> Any:
    conn = connect(conf["BIND_DN"], conf["BIND_PASSWORD"], conf)
    if conn is None:
        raise DirectoryError("the service account's credentials were refused")
    return conn


def _text(name: str, value: Any) -> str:
    """An attribute value as text; Active Directory's objectGUID (16 bytes) as its UUID."""
    if not isinstance(value, bytes):
        return str(value)
    if name.lower() == "objectguid" and len(value) == 16:
        return str(uuid.UUID(bytes_le=value))
    return value.decode("utf-8", "replace")


def _attributes(conf: dict[str, Any]) -> list[str]:
    names = [conf["ID_ATTR"], conf["USERNAME_ATTR"], conf["NAME_ATTR"], conf["EMAIL_ATTR"]]
    return list(dict.fromkeys(names + [a.strip() for a in conf["CLAIM_ATTRS"] if a.strip()]))


@dataclass(frozen=True)
class Entry:
    dn: str
    values: dict[str, tuple[str, ...]]  # attribute name (lower case) → its values

    def first(self, name: str) -> str:
        values = self.values.get(name.lower(), ())
        return values[0] if values else ""


def _entry(raw: dict[str, Any]) -> Entry:
    values: dict[str, tuple[str, ...]] = {}
    for name, value in (raw.get("raw_attributes") or {}).items():
        items = value if isinstance(value, list) else [value]
        values[name.lower()] = tuple(_text(name, v) for v in items if v not in (b"", ""))
    return Entry(dn=raw["dn"], values=values)


def _search(conn: Any, base: str, query: str, attributes: list[str], limit: int = 0) -> list[Entry]:
    from ldap3 import SUBTREE

    ok = conn.search(base, query, SUBTREE, attributes=attributes, size_limit=limit)
    if not ok and conn.result.get("description") not in ("success", "noSuchObject"):
        if conn.result.get("description") == "sizeLimitExceeded":
            return [_entry(r) for r in conn.response or [] if r.get("type") == "searchResEntry"]
        raise DirectoryError(f"search failed: {conn.result}")
    return [_entry(r) for r in conn.response or [] if r.get("type") == "searchResEntry"]


def _groups(conn: Any, dn: str, conf: dict[str, Any]) -> tuple[str, ...]:
    """The DNs of the groups listing ``dn`` as a member (none searched without GROUP_BASE)."""
    from ldap3.utils.conv import escape_filter_chars

    if not conf["GROUP_BASE"]:
        return ()
    query = conf["GROUP_FILTER"].replace("{dn}", escape_filter_chars(dn))
    return tuple(e.dn for e in _search(conn, conf["GROUP_BASE"], query, ["cn"]))


def identity_of(entry: Entry, groups: tuple[str, ...], conf: dict[str, Any]) -> Identity:
    """A directory entry as the mapping sees it: every attribute read is a claim (so are its
    groups, as "groups")."""
    claims: dict[str, tuple[str, ...]] = {
        name: values for name, values in entry.values.items() if name != "userpassword"
    }
    claims["groups"] = claims.get("groups", ()) + groups
    return Identity(
        source=Source.LDAP,
        subject=entry.first(conf["ID_ATTR"]),
        username=entry.first(conf["USERNAME_ATTR"]),
        email=entry.first(conf["EMAIL_ATTR"]),
        full_name=entry.first(conf["NAME_ATTR"]),
        claims=claims,
    )


def find_person(username: str, password: str) -> Identity | None:
    """The person the directory vouches for with these credentials, or None."""
    from ldap3.utils.conv import escape_filter_chars

    conf = config()
    if not conf["URL"] or not username or not password:
        # An empty password would be an "unauthenticated bind", which many servers accept.
        return None
    service = _service(conf)
    try:
        query = conf["USER_FILTER"].replace("{username}", escape_filter_chars(username))
        found = _search(service, conf["USER_BASE"], query, _attributes(conf), limit=2)
        if len(found) != 1 or not found[0].first(conf["ID_ATTR"]):
            return None  # nobody, or a name two people share: neither signs in
        entry = found[0]
        person = connect(entry.dn, password, conf)
        if person is None:
            return None
        person.unbind()
        return identity_of(entry, _groups(service, entry.dn, conf), conf)
    finally:
        service.unbind()


def everyone(conf: dict[str, Any] | None = None) -> Iterator[Identity]:
    """Every person the sync filter finds, read in pages. Raises DirectoryError on any failure,
    so a sync never mistakes a broken read for people who left."""
    conf = conf or config()
    service = _service(conf)
    try:
        cookie: Any = None
        while True:
            ok = service.search(
                conf["USER_BASE"],
                conf["SYNC_FILTER"],
                attributes=_attributes(conf),
                paged_size=PAGE_SIZE,
                paged_cookie=cookie,
            )
            if not ok and service.result.get("description") != "success":
                raise DirectoryError(f"search failed: {service.result}")
            entries = [_entry(r) for r in service.response or [] if r["type"] == "searchResEntry"]
            cookie = (
                service.result.get("controls", {})
                .get("1.2.840.113556.1.4.319", {})
                .get("value", {})
                .get("cookie")
            )
            for entry in entries:
                if entry.first(conf["ID_ATTR"]):
                    yield identity_of(entry, _groups(service, entry.dn, conf), conf)
            if not cookie:
                break
    finally:
        service.unbind()


# What a sync counts (the command prints them in this order).
SYNC_COUNTS = (
    "listed",
    "unchanged",
    "moved",
    "returned",
    "created",
    "new",
    "left",
    "refused",
    "unmapped",
    "skipped",
)


def sync(*, create: bool = False, dry_run: bool = False) -> Counter[str]:
    """Bring the accounts the directory vouches for in line with it: people no longer listed,
    or whom the rules no longer place, are deactivated (their tasks and history stay); a
    change of organisation or role is applied as a membership change (audited); people listed
    again come back. ``create`` also opens accounts for listed people who never signed in.
    Idempotent: a second run changes nothing. ``dry_run`` counts the same and keeps nothing.

    The whole directory is read before anything changes; a failed or empty read changes
    nothing (an empty answer is a wrong filter far more often than a province with no one)."""
    conf = config()
    if not conf["URL"]:
        raise DirectoryError("NHIEMVU_LDAP_URL is not set")
    people = list(everyone(conf))
    links = {
        link.subject: link
        for link in ExternalAccount.objects.filter(source=Source.LDAP).select_related("user")
    }
    if not people and any(link.user.is_active for link in links.values()):
        raise DirectoryError("the directory listed nobody: nothing was changed")
    counts: Counter[str] = Counter(listed=len(people))
    directory = matching.Directory.load(workdays.today())
    with transaction.atomic():
        for identity in people:
            counts[_sync_one(identity, links.get(identity.subject), create, directory)] += 1
        listed = {identity.subject for identity in people}
        for subject, link in links.items():
            if subject not in listed and link.user.is_active:
                deactivate(link, reason="left")
                counts["left"] += 1
        if dry_run:
            transaction.set_rollback(True)
    return counts


def _sync_one(
    identity: Identity,
    link: ExternalAccount | None,
    create: bool,
    directory: matching.Directory,
) -> str:
    """One listed person brought in line; what happened, as a count's name."""
    resolution = resolve(identity, directory=directory)
    if not resolution.allowed:
        if link is not None and link.user.is_active:
            deactivate(link, reason=resolution.reason)
            return "refused"
        return "unmapped"
    if link is None and not create:
        return "new"
    if link is None:
        kind = "created"
    elif link.left_at is not None:
        kind = "returned"
    elif (link.org_id, link.role) != (
        resolution.org.pk if resolution.org else None,
        resolution.role,
    ):
        kind = "moved"
    else:
        kind = "unchanged"
    try:
        provision(identity, resolution, link=link)
    except Refused:
        return "skipped"  # a local account of that name, or disabled by an administrator
    return kind


class LdapBackend(BaseBackend):
    """Django's authentication backend for the directory (after ModelBackend)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        try:
            identity = find_person(username or "", password or "")
        except DirectoryError as error:
            log.warning("directory sign-in failed for %r: %s", username, error)
            return None
        if identity is None:
            return None
        try:
            return provision(identity, resolve(identity))
        except Refused as refused:
            log.info("directory person %r refused: %s", identity.username, refused.message)
            if request is not None:
                setattr(request, REFUSAL_ATTR, refused.message)
            return None

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
