"""Who someone is in the province: the scope their memberships give them, and the predicates
about people every app asks (the office, an administrator, who may reorganise, who acts for an
agency), each once, here.

Every permission predicate in the other apps starts from `scope_of(user)`, computed once per
request and cached on the user object, so a list of 50 tasks costs no extra queries.

Who counts, decided once for every predicate below:
- a superuser is an administrator (Django's own flag; the admin site lets them in anyway);
- the office is the Office role only: neither an administrator nor a superuser does the
  office's daily work (registering, urging, importing) in its name;
- `actor=None` is the system itself (the demo loader, data migrations, management commands),
  never a web request or an API key (those always carry a person or the key's user): services
  let it through with `allows(actor, predicate)`; a predicate asked about None says no.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rules

from nhiemvu.orgs.models import ACTING_ROLES, PROVINCE_ROLES, Membership, Role


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    org_ids: frozenset[int] = frozenset()  # every organisation the user belongs to
    lead_org_ids: frozenset[int] = frozenset()  # where the user acts for the agency (ACTING_ROLES)
    head_org_ids: frozenset[int] = frozenset()
    leader_titles: frozenset[str] = field(default_factory=frozenset)
    # The memberships themselves, with their organisations, when read for this scope (the
    # page header shows them: one query for both, issue 28); None when not read.
    memberships: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def province(self) -> bool:
        """Sees every task of the province."""
        return bool(self.roles & PROVINCE_ROLES)

    @property
    def is_leader(self) -> bool:
        return Role.LEADER in self.roles

    @property
    def is_office(self) -> bool:
        return Role.OFFICE in self.roles

    @property
    def is_working_group(self) -> bool:
        return Role.WORKING_GROUP in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def confirms(self) -> bool:
        """The office and the Working Group confirm or return completion reports."""
        return self.is_office or self.is_working_group

    @property
    def primary_org_id(self) -> int | None:
        return min(self.org_ids) if self.org_ids else None


_EMPTY = Scope()


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_nhiemvu_scope", None)
    if cached is not None:
        return cached
    memberships = tuple(Membership.objects.filter(user=user).select_related("org"))
    scope = _scope([(m.org_id, m.role, m.leader_title) for m in memberships], memberships)
    user._nhiemvu_scope = scope
    return scope


def _scope(rows: list[tuple[int, str, str]], memberships: tuple[Any, ...] | None = None) -> Scope:
    return Scope(
        memberships=memberships,
        roles=frozenset(r for _, r, _ in rows),
        org_ids=frozenset(o for o, _, _ in rows),
        lead_org_ids=frozenset(o for o, r, _ in rows if r in ACTING_ROLES),
        head_org_ids=frozenset(o for o, r, _ in rows if r == Role.HEAD),
        leader_titles=frozenset(t for _, r, t in rows if r == Role.LEADER and t),
    )


def scopes_of(users: Any) -> None:
    """Work out ``scope_of`` for many people with one query (a morning's digests), kept on
    each user object as ``scope_of`` keeps it."""
    todo = {u.pk: u for u in users if getattr(u, "_nhiemvu_scope", None) is None}
    rows: dict[int, list[tuple[int, str, str]]] = {pk: [] for pk in todo}
    for user_id, org_id, role, title in Membership.objects.filter(user_id__in=todo).values_list(
        "user_id", "org_id", "role", "leader_title"
    ):
        rows[user_id].append((org_id, role, title))
    for pk, user in todo.items():
        if user.is_authenticated and user.is_active:
            user._nhiemvu_scope = _scope(rows[pk])


def forget_scope(user: Any) -> None:
    if hasattr(user, "_nhiemvu_scope"):
        del user._nhiemvu_scope


@rules.predicate
def is_admin(user: Any) -> bool:
    """An administrator: the Administrator role, or a superuser."""
    return scope_of(user).is_admin or bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_office(user: Any) -> bool:
    """The Provincial Office's tracking officers: register, urge, import, manage tasks."""
    return scope_of(user).is_office


@rules.predicate
def can_reorganise(user: Any) -> bool:
    """Record, plan, apply or withdraw a reorganisation: the office (whose tasks move) or an
    administrator (whose reference data changes)."""
    return bool(is_office(user) or is_admin(user))


def acts_for(user: Any, org_id: int | None) -> bool:
    """Whether ``user`` acts for the agency ``org_id`` (one of ACTING_ROLES there); the filter
    twin is orgs.selectors.acting_memberships."""
    return org_id in scope_of(user).lead_org_ids


def allows(actor: Any, predicate: Callable[[Any], bool]) -> bool:
    """Whether a service lets ``actor`` do what ``predicate`` guards: the system (None) always,
    a person when the predicate says so."""
    return actor is None or bool(predicate(actor))


rules.add_perm("orgs.manage_reference", is_admin)
# For templates (`{% test_rule "orgs.is_office" user as office %}`): the menu asks the same
# predicates as the views and services behind its links.
rules.add_rule("orgs.is_office", is_office)
rules.add_rule("orgs.can_reorganise", can_reorganise)
