"""What a provider or the directory says of a person, turned into the person: one home.

OpenID Connect sign-in and the directory (LDAP sign-in and `manage.py accounts sync`) each
describe a person as an ``Identity``; ``resolve`` decides their organisation and role by the
province's rules (``settings.NHIEMVU_ACCOUNT_RULES``), or a refusal in words saying whom to ask;
``provision`` creates or updates the person and their membership, and never stores a password.

The rules (JSON in the environment, merged over ``DEFAULT_RULES``; claim names compare without
case, as LDAP attribute names do):

- ``org_code_claims``: claims holding an organisation's code (or electronic id, tax code);
- ``group_claims`` + ``org_groups``: a group's DN or name (its first RDN's value) → org code;
- ``department_claims``: a department's name, matched to the organisations in force;
- ``role_groups``: a group's DN or name → role, the first listed that the person is in wins;
  ``default_role`` otherwise (an agency officer);
- ``contact``: whom a refused person should ask.

The first kind of rule (code, then group, then department) that names organisations decides;
if it names more than one, the person is refused: access is never granted on a guess. Every name
or code goes through the one organisation matcher (``orgs.matching``) at ``EXACT`` strictness.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.accounts.models import ExternalAccount, User
from nhiemvu.audit.services import record
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line
from nhiemvu.orgs import matching
from nhiemvu.orgs.models import Membership, Organisation, Role, role_allowed
from nhiemvu.orgs.services import membership_grant, membership_revoke

DEFAULT_RULES: dict[str, Any] = {
    "org_code_claims": ["org_code", "departmentNumber"],
    "group_claims": ["groups", "memberOf"],
    "org_groups": {},
    "department_claims": ["department", "ou"],
    "role_groups": {},
    "default_role": Role.OFFICER.value,
    "contact": "",
}

_FULL_NAME_CHARS = User._meta.get_field("full_name").max_length or 150
_USERNAME_CHARS = User._meta.get_field("username").max_length or 150
_EMAIL_CHARS = User._meta.get_field("email").max_length or 254


@dataclass(frozen=True)
class Identity:
    """A person as a source describes them. ``subject`` is the source's lasting identifier."""

    source: str  # accounts.models.Source: "oidc" | "ldap"
    subject: str
    username: str
    email: str
    full_name: str
    claims: Mapping[str, tuple[str, ...]]

    def claim(self, name: str) -> tuple[str, ...]:
        """A claim's values, its name compared without case; () when absent."""
        wanted = name.casefold()
        return tuple(
            value
            for key, values in self.claims.items()
            if key.casefold() == wanted
            for value in values
            if value and value.strip()
        )


@dataclass(frozen=True)
class Resolution:
    """Where the person belongs: ``org`` and ``role``, or a ``refusal`` (empty when allowed)."""

    org: Organisation | None
    role: str
    refusal: str = ""
    reason: str = ""  # for logs and counts: no_org, ambiguous, ceased, role

    @property
    def allowed(self) -> bool:
        return not self.refusal


class Refused(Exception):
    """The person may not have an account here; ``message`` says why and whom to ask."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def rules() -> dict[str, Any]:
    """The province's rules, over the defaults."""
    configured = getattr(settings, "NHIEMVU_ACCOUNT_RULES", None) or {}
    return {**DEFAULT_RULES, **configured}


def rule_errors() -> list[str]:
    """What is wrong with the configured rules (a misspelt key would be ignored, and everyone
    refused as placed nowhere); `manage.py check` and every start report them."""
    configured = getattr(settings, "NHIEMVU_ACCOUNT_RULES", None) or {}
    if not isinstance(configured, dict):
        return ["NHIEMVU_ACCOUNT_RULES must be a JSON object"]
    errors = [f"unknown key {key!r}" for key in configured if key not in DEFAULT_RULES]
    rule = rules()
    for key in ("org_code_claims", "group_claims", "department_claims"):
        if not isinstance(rule[key], list) or not all(isinstance(c, str) for c in rule[key]):
            errors.append(f"{key} must be a list of claim names")
    for key in ("org_groups", "role_groups"):
        if not isinstance(rule[key], dict):
            errors.append(f"{key} must map group names to values")
    roles = [*(rule["role_groups"].values() if isinstance(rule["role_groups"], dict) else ())]
    errors += [
        f"unknown role {r!r}" for r in [*roles, rule["default_role"]] if r not in Role.values
    ]
    return errors


def _group_keys(value: str) -> set[str]:
    """The names a group value answers to: its DN as written (spaces around ',' and '=' and case
    aside) and its first RDN's value ("cn=SKHCN,ou=groups,…" → also "skhcn")."""
    dn = re.sub(r"\s*([,=])\s*", r"\1", value.strip()).casefold()
    keys = {dn}
    first = dn.split(",", 1)[0]
    if "=" in first:
        keys.add(first.split("=", 1)[1])
    return keys


def _groups(identity: Identity, rule: Mapping[str, Any]) -> set[str]:
    return {
        key
        for claim in rule["group_claims"]
        for g in identity.claim(claim)
        for key in _group_keys(g)
    }


def _mapped(table: Mapping[str, str], groups: set[str]) -> list[str]:
    """The values of ``table`` whose group the person is in, in the table's order."""
    return [value for group, value in table.items() if _group_keys(group) & groups]


def _orgs_named(
    texts: Iterable[str], day: dt.date, directory: matching.Directory | None
) -> set[Organisation]:
    found = set()
    for text in texts:
        org = matching.find(text, strictness=matching.Strictness.EXACT, on=day, directory=directory)
        if org is not None:
            found.add(org)
    return found


def contact() -> str:
    return rules()["contact"] or _(
        "the Office of the Provincial People's Committee, which administers this system"
    )


def _refuse(identity: Identity, reason: str, message: str) -> Resolution:
    return Resolution(org=None, role="", refusal=message, reason=reason)


def resolve(
    identity: Identity,
    *,
    on: dt.date | None = None,
    directory: matching.Directory | None = None,
) -> Resolution:
    """The organisation and role the rules give ``identity`` on ``on`` (today), or a refusal.
    Reads only: nothing is written, whatever the answer. ``directory``: the organisations in
    force on that day, loaded once by a caller resolving many people (the directory sync)."""
    day = on or workdays.today()
    rule = rules()
    groups = _groups(identity, rule)
    candidates: set[Organisation] = set()
    for texts in (
        [v for c in rule["org_code_claims"] for v in identity.claim(c)],
        _mapped(rule["org_groups"], groups),
        [v for c in rule["department_claims"] for v in identity.claim(c)],
    ):
        candidates = _orgs_named(texts, day, directory)
        if candidates:
            break
    who = identity.full_name or identity.username
    if not candidates:
        return _refuse(
            identity,
            "no_org",
            _(
                "Your account (%(who)s) names no organisation known to this system, so it "
                "cannot be opened. Ask %(contact)s to record your organisation for your "
                "account, then sign in again."
            )
            % {"who": who, "contact": contact()},
        )
    if len(candidates) > 1:
        return _refuse(
            identity,
            "ambiguous",
            _(
                "Your account (%(who)s) names several organisations (%(orgs)s); this system "
                "does not guess which one you work for. Ask %(contact)s to leave only yours."
            )
            % {
                "who": who,
                "orgs": ", ".join(sorted(o.name for o in candidates)),
                "contact": contact(),
            },
        )
    org = candidates.pop()
    if not org.is_active_on(day):
        return _refuse(
            identity,
            "ceased",
            _(
                "Your account names %(org)s, which has ceased to exist. Ask %(contact)s to "
                "record the organisation you now work for."
            )
            % {"org": org.name, "contact": contact()},
        )
    roles = _mapped(rule["role_groups"], groups)
    role = roles[0] if roles else rule["default_role"]
    if role not in Role.values or not role_allowed(org, role):
        label = Role(role).label if role in Role.values else role
        return _refuse(
            identity,
            "role",
            _(
                "Your account would be “%(role)s” in %(org)s, which no one there may be. Ask "
                "%(contact)s to correct your groups."
            )
            % {"role": label, "org": org.name, "contact": contact()},
        )
    return Resolution(org=org, role=role)


def _linked(identity: Identity) -> ExternalAccount | None:
    return (
        ExternalAccount.objects.select_related("user", "org")
        .filter(source=identity.source, subject=identity.subject)
        .first()
    )


def _new_user(identity: Identity) -> User:
    username = identity.username.strip()[:_USERNAME_CHARS]
    if not username or User.objects.filter(username__iexact=username).exists():
        # A local account of that name (the break-glass administrator, a demo user) is never
        # taken over by whoever the source calls the same: an administrator links them.
        raise Refused(
            _(
                "An account named “%(username)s” already exists here and is not linked to "
                "yours. Ask %(contact)s to link them."
            )
            % {"username": username, "contact": contact()}
        )
    user = User(username=username)
    user.set_unusable_password()
    return user


@transaction.atomic
def provision(
    identity: Identity, resolution: Resolution, *, link: ExternalAccount | None = None
) -> User:
    """Create or bring up to date the person ``identity`` describes, with the membership
    ``resolution`` gives them (a change of organisation or role is audited as a move). Their
    password is never stored. Raises ``Refused`` (and writes nothing) when refused. ``link``:
    their ExternalAccount (with its user) when the caller has read it already (the sync)."""
    if resolution.refusal or resolution.org is None:
        raise Refused(resolution.refusal)
    now = workdays.now()
    link = link or _linked(identity)
    user = link.user if link else _new_user(identity)
    created = user.pk is None
    returning = not user.is_active
    if returning:
        if link is None or link.left_at is None:
            # Deactivated by an administrator: only they undo it.
            raise Refused(
                _("Your account here has been disabled. Ask %(contact)s.") % {"contact": contact()}
            )
        user.is_active = True
        record(actor=None, action="account.return", target=user, after={"source": link.source})
    fields = {
        "full_name": clean_line(identity.full_name)[:_FULL_NAME_CHARS],
        "email": identity.email.strip()[:_EMAIL_CHARS],
    }
    # Nothing written to a person the source says nothing new of (a sync reads thousands).
    if (
        created
        or returning
        or user.has_usable_password()
        or any(getattr(user, name) != value for name, value in fields.items())
    ):
        for name, value in fields.items():
            setattr(user, name, value)
        if user.has_usable_password():
            user.set_unusable_password()
        user.full_clean(exclude=["password", "username"] if not created else ["password"])
        user.save()
    if created:
        record(
            actor=None,
            action="user.create",
            target=user,
            after={"username": user.username, "source": identity.source},
        )
        link = ExternalAccount(user=user, source=identity.source, subject=identity.subject)
    assert link is not None
    _set_membership(link, user, resolution.org, resolution.role)
    link.seen_at = now
    link.left_at = None
    link.save()
    return user


def _set_membership(link: ExternalAccount, user: User, org: Organisation, role: str) -> None:
    """The source's membership becomes (org, role); a move replaces the old one, audited."""
    if link.org_id == org.pk and link.role == role:
        if not Membership.objects.filter(user=user, org=org, role=role).exists():
            membership_grant(actor=None, user=user, org=org, role=role)
        return
    before = {"org": link.org.code if link.org else "", "role": link.role}
    if link.org_id is not None:
        old = Membership.objects.filter(user=user, org_id=link.org_id, role=link.role).first()
        if old is not None:
            membership_revoke(actor=None, membership=old)
    membership_grant(actor=None, user=user, org=org, role=role)
    if link.pk is not None:
        record(
            actor=None,
            action="account.move",
            target=user,
            before=before,
            after={"org": org.code, "role": role, "source": link.source},
        )
    link.org = org
    link.role = role


@transaction.atomic
def deactivate(link: ExternalAccount, *, reason: str) -> None:
    """The source no longer lists the person: they can no longer sign in; their tasks, their
    memberships and their history stay (the organisation's work is not theirs to take)."""
    user = link.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(
            actor=None,
            action="account.leave",
            target=user,
            after={"source": link.source, "reason": reason},
        )
    link.left_at = link.left_at or workdays.now()
    link.save(update_fields=["left_at"])
