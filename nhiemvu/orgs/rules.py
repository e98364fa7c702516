"""Who someone is in the province: the scope their memberships give them.

Every permission predicate in the other apps starts from `scope_of(user)`, computed once per
request and cached on the user object, so a list of 50 tasks costs no extra queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rules

from nhiemvu.orgs.models import PROVINCE_ROLES, Membership, Role


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    org_ids: frozenset[int] = frozenset()  # every organisation the user belongs to
    lead_org_ids: frozenset[int] = frozenset()  # where the user acts for the agency
    head_org_ids: frozenset[int] = frozenset()
    leader_titles: frozenset[str] = field(default_factory=frozenset)

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
    rows = list(Membership.objects.filter(user=user).values_list("org_id", "role", "leader_title"))
    scope = Scope(
        roles=frozenset(r for _, r, _ in rows),
        org_ids=frozenset(o for o, _, _ in rows),
        lead_org_ids=frozenset(o for o, r, _ in rows if r in (Role.OFFICER, Role.HEAD)),
        head_org_ids=frozenset(o for o, r, _ in rows if r == Role.HEAD),
        leader_titles=frozenset(t for _, r, t in rows if r == Role.LEADER and t),
    )
    user._nhiemvu_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    if hasattr(user, "_nhiemvu_scope"):
        del user._nhiemvu_scope


@rules.predicate
def is_admin(user: Any) -> bool:
    return scope_of(user).is_admin or bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_office(user: Any) -> bool:
    return scope_of(user).is_office


rules.add_perm("orgs.manage_reference", is_admin)
rules.add_perm("orgs.transfer_tasks", is_office | is_admin)
