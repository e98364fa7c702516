from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from nhiemvu.assignments import rules as task_perms
from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.models import Directive
from nhiemvu.orgs.rules import scope_of


def visible_directives(user: Any) -> QuerySet[Directive]:
    """Province roles see every document; agencies the documents that give them a task."""
    qs = Directive.objects.select_related("issuer", "assigned_by")
    if scope_of(user).province:
        return qs
    tasks = task_perms.visible(user, Assignment.objects.filter(directive=OuterRef("pk")))
    return qs.filter(Exists(tasks))


def directive_for(user: Any, code: str) -> Directive:
    directive = visible_directives(user).filter(code=code).first()
    if directive is None:
        raise Http404
    return directive
