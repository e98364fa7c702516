"""A fuzzed surface (issue 24): every URL pattern the resolver knows, every form a page shows
and every query parameter a list or report reads, sent by every role (the personas of
nhiemvu/test.py and an anonymous visitor) with what a hostile agency or a broken system would
send: Unicode digits, numbers beyond any column, NUL, over-long strings, wrong types (lists for
single values, a file for text, text for a file), empty values.

Asserted: no answer is a 5xx (the test client re-raises a view's exception, so a crash fails
the test with the role and the request), and a refused request (4xx, or a form shown again) changes
nothing: the main tables keep their row counts and no audit row is written.

Bounded for CI: each sweep is one loop over the routes or forms with fixed junk, or a
Hypothesis run with ``max_examples`` fixed below (derandomized: the same examples every run);
documents that take a second to build (PDF, DOCX, XLSX, the OpenAPI schema, the report page) are
swept as three roles, not eleven. The file costs about 170 s of CPU (about 90 s with -n 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.accounts.models import User
from nhiemvu.assignments import services
from nhiemvu.assignments.actions import ACTIONS
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    Coordination,
    Delegation,
    Extension,
    InternalReport,
)
from nhiemvu.assignments.reorganisation import record as reorg_record
from nhiemvu.audit.models import AuditEvent
from nhiemvu.directives.models import Directive
from nhiemvu.orgs.models import Membership, Organisation, Reorganisation, ReorgKind
from nhiemvu.test import TODAY, Province, api_key, make_org, register, travel

# --- the surface, read from the resolver -----------------------------------------------------

_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    template: str  # "nhiem-vu/<str:code>/<slug:action>/"
    name: str

    @property
    def params(self) -> list[str]:
        return [m["name"] for m in _CONVERTER.finditer(self.template)]

    @property
    def admin(self) -> bool:
        return self.template.startswith("quan-tri/")

    def fill(self, values: dict[str, str]) -> str:
        return "/" + _CONVERTER.sub(lambda m: values[m["name"]], self.template)


def _walk(resolver: URLResolver, prefix: str = "") -> list[Route]:
    routes = []
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes.extend(_walk(entry, prefix + pattern))
        elif isinstance(entry, URLPattern):
            # Regular-expression patterns (the admin's app index and its catch-all) have no
            # converters to fill: they are reached with their literal part.
            if pattern.startswith("^") or "(?P" in pattern:
                literal = re.sub(r"\^|\$|\(\?P<\w+>[^)]*\)|\.\*", "", pattern)
                routes.append(Route(prefix + literal + "orgs/", entry.name or pattern))
                continue
            routes.append(Route(prefix + pattern, entry.name or pattern))
    return routes


ROUTES = _walk(get_resolver())

# Routes that build a document (PDF, DOCX, XLSX, the OpenAPI schema, the report page's figures):
# a second or more each, so swept as three roles rather than eleven to keep the file bounded.
HEAVY = re.compile(r"\.pdf|\.docx|\.xlsx|\.csv|<str:fmt>|openapi|^bao-cao/(tai-ve/)?$")
HEAVY_ROLES = ("anonymous", "office", "lead_officer")

# Values a converter is filled with besides a real object's code: each has broken something
# somewhere (isdigit() vs int(), a bigint column, PostgreSQL and NUL, a path join, a long key).
JUNK_CODES = ["²", "99999999999999999999", "x" * 300, "..", "٣"]
JUNK_VALUES = [
    "²",
    "٣",
    "３",
    "99999999999999999999",
    "-1",
    "0",
    "1e308",
    "NaN",
    "a\x00b",
    "",
    " ",
    "31/02/2026",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "0001-01-01",
    "9999-12-31..9999-12-31",
    "0001-01-01..0001-01-01",
    "2026-Q9",
    "0000",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "[]",
    "true",
    "x" * 70_000,
]
values = st.one_of(
    st.sampled_from(JUNK_VALUES),
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
)
# Wrong types: a list where one value is meant, a file where text is meant.
field_values = st.one_of(
    values,
    st.lists(values, min_size=2, max_size=3),
    st.binary(max_size=64).map(lambda b: SimpleUploadedFile("x.pdf", b, "application/pdf")),
)

# Query parameters read by hand (not through a form the page shows): the lists' cursors and
# page numbers, the report's organisation and format, the picker's query, the open action.
HAND_READ = [
    "trang",
    "page",
    "after",
    "before",
    "thao-tac",
    "org",
    "format",
    "q",
    "thu-cong",
    "period",
    "ky",
    "as_of",
    "next",
    "sort",
    "status",
    "lead",
    "limit",
    "cursor",
]

# The tables a refused request must leave alone.
COUNTED: list[type[Model]] = [
    Assignment,
    AssignmentEvent,
    Coordination,
    Delegation,
    InternalReport,
    Extension,
    Directive,
    Organisation,
    Membership,
    Reorganisation,
    User,
    AuditEvent,
]


def counts() -> tuple[int, ...]:
    return tuple(m._default_manager.count() for m in COUNTED)


# --- forms as the pages show them ------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name → input type
    defaults: dict[str, str] = field(default_factory=dict)  # what the page filled in
    seen_by: str = ""  # the first role the page showed it to


class _Forms(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select = ""  # the name of the <select> being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(
                urlsplit(a.get("action") or self.page_path).path,
                (a.get("method") or "get").lower(),
            )
            self.forms.append(self.current)
            return
        form = self.current
        if form is None:
            return
        if tag == "option" and self.select:
            # The selected option, else the first: what a browser would send.
            if "selected" in a or self.select not in form.defaults:
                form.defaults[self.select] = a.get("value", "")
            return
        name = a.get("name")
        if tag not in ("input", "select", "textarea") or name in (None, "", "csrfmiddlewaretoken"):
            return
        form.fields[name] = a.get("type", tag)
        if tag == "select":
            self.select = name
        elif a.get("type") not in ("checkbox", "radio", "file") or "checked" in a:
            form.defaults.setdefault(name, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = ""


def forms_of(client: Client, path: str, who: str) -> list[Form]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms(path)
    parser.feed(response.content.decode())
    for form in parser.forms:
        form.seen_by = who
    return parser.forms


# --- the province the fuzz runs in -----------------------------------------------------------


class FuzzCase(HypothesisTestCase):
    p: Province
    task: Assignment
    real: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = p = Province()
        # The administrator reaches the admin site as in the demo (staff).
        User.objects.filter(pk=p.admin.pk).update(is_staff=True, is_superuser=True)
        with travel(TODAY):
            directive = register(p)
            cls.task = task = Assignment.objects.get(directive=directive)
            services.assignment_delegate(
                actor=p.lead_head, task=task, assignee=p.lead_officer, note="Nội bộ"
            )
            extension = services.extension_request(
                actor=p.lead_officer,
                task=task,
                proposed_deadline=TODAY.replace(month=5),
                reason="Chờ số liệu",
            )
            new = make_org("so-moi", "Sở Mới", valid_from=TODAY.replace(month=6))
            reorg = reorg_record.reorganisation_record(
                actor=p.office,
                kind=ReorgKind.MERGE,
                effective_date=TODAY.replace(month=6),
                legal_basis="Quyết định 1/QĐ-UBND",
                sources=[p.agency_c],
                targets=[new],
            )
        cls.real = {
            "task": task.code,
            "directive": directive.code,
            "org": p.agency_a.code,
            "reorg": reorg.code,
            "extension": str(extension.pk),
        }

    def setUp(self) -> None:
        super().setUp()
        self.traveller = travel(TODAY)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def people(self) -> dict[str, User | None]:
        return {"anonymous": None, **self.p.personas()}

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def real_value(self, route: Route, name: str) -> str:
        """An existing object's code for a converter, chosen by where it sits in the address."""
        t = route.template
        if name == "object_id" or name == "id":
            match = re.match(r"quan-tri/(\w+)/(\w+)/", t)
            if match:
                model = apps.get_model(match[1], match[2])
                first = model._default_manager.order_by("pk").first()
                return str(first.pk) if first else "1"
            return "1"
        if name == "action":
            return "accept"
        if name == "fmt":
            return "docx"
        if name == "extension":
            return self.real["extension"]
        if name in ("sha256",):
            return "0" * 64
        if name != "code":
            return "x"
        if "sap-xep" in t:
            return self.real["reorg"]
        if t.startswith(("co-quan", "don-doc", "api/v1/organisations")):
            return self.real["org"]
        if t.startswith(("van-ban/dang-doc", "api/v1/directives/readings")):
            return "khong-co"
        if t.startswith(("van-ban", "api/v1/directives")):
            return self.real["directive"]
        return self.real["task"]

    def answer(
        self, client: Client, method: str, path: str, data: Any = None, *, who: str = ""
    ) -> int:
        """Send one request; a 5xx, or an exception the view let escape, fails the test with the
        request that caused it. A refusal must change nothing."""
        before = counts()
        try:
            if method == "get":
                response = client.get(path, data or {})
            else:
                response = client.post(path, data or {})
        except Exception as exc:
            raise AssertionError(
                f"{who}: {method.upper()} {path!r} {data!r:.300}: {exc!r}"
            ) from exc
        status = response.status_code
        if response.streaming:
            # Read through the test client's wrapper (calling close() on an ordinary response
            # would send request_finished, which closes the test's database connection).
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        # /readyz answers 503 while the installation is not ready (here no scheduler has ever
        # stepped): that is its answer to a load balancer, not a failure (web/tests/test_ops.py).
        if not (path == "/readyz" and status == 503):
            self.assertLess(status, 500, f"{who}: {method.upper()} {path!r} {data!r:.300}")
        if status >= 400 or (method == "post" and status == 200):
            self.assertEqual(counts(), before, f"{who}: refused but changed: {method} {path!r}")
        return status


# --- the sweeps ------------------------------------------------------------------------------


class EveryUrlTest(FuzzCase):
    def test_it_answers_every_route_with_real_codes_as_every_role(self) -> None:
        self.assertGreater(len(ROUTES), 100)  # the walk found the site, the API and the admin
        for who, user in self.people().items():
            client = self.client_for(user)
            for route in ROUTES:
                if route.admin and who not in ("anonymous", "admin"):
                    continue  # the admin site is the administrator's; others get its login
                if HEAVY.search(route.template) and who not in HEAVY_ROLES:
                    continue
                path = route.fill({n: self.real_value(route, n) for n in route.params})
                self.answer(client, "get", path, who=who)

    def test_it_answers_every_route_with_junk_in_each_place(self) -> None:
        for who in ("anonymous", "office", "lead_officer", "admin"):
            client = self.client_for(self.people()[who])
            for route in ROUTES:
                # The admin site as the administrator, the rest of the site as the others.
                if not route.params or route.admin != (who == "admin"):
                    continue
                for junk in JUNK_CODES:
                    for name in route.params:
                        fill = {n: self.real_value(route, n) for n in route.params}
                        fill[name] = junk
                        path = route.fill(fill)
                        self.answer(client, "get", path, who=who)

    def test_every_api_route_with_a_key_and_junk(self) -> None:
        """The API answers keys, not sessions: each route with an agency's and the office's key,
        real and junk codes, and a body of the wrong shape."""
        keys = {
            "agency": api_key(self.p.agency_a),
            "office": api_key(self.p.office_org, role="office"),
        }
        for who, key in keys.items():
            client = Client(headers={"Authorization": f"Bearer {key}"})
            for route in ROUTES:
                if not route.template.startswith("api/"):
                    continue
                fills = [{n: self.real_value(route, n) for n in route.params}]
                fills += [dict.fromkeys(route.params, junk) for junk in JUNK_CODES[:2]]
                for fill in fills[: 1 + 2 * bool(route.params)]:
                    path = route.fill(fill)
                    self.answer(client, "get", path, who=who)
                    self.answer(client, "post", path, {"lead": "²", "percent": "2" * 30}, who=who)

    def test_every_task_action_refuses_an_empty_or_junk_post_as_every_role(self) -> None:
        for who, user in self.people().items():
            client = self.client_for(user)
            for name, action in ACTIONS.items():
                path = f"/nhiem-vu/{self.task.code}/{name}/"
                junk = {f: "²" for f in action.form.base_fields}
                # Empty as every role; junk in every field as the roles that act on tasks.
                tries = [{}, junk] if who in ("office", "lead_head", "working_group") else [{}]
                for data in tries:
                    self.answer(client, "post", path, data, who=who)


class FuzzedFormsTest(FuzzCase):
    """Every form a page shows to some role, posted (or, for a GET form, queried) by any role
    with Hypothesis values in its fields."""

    PAGES = [
        "/",
        "/nhiem-vu/",
        "/nhiem-vu/{task}/",
        "/nhiem-vu/{task}/bao-cao-len/",
        "/van-ban/nhap/",
        "/van-ban/{directive}/",
        "/bao-cao/",
        "/bao-cao/tep/",
        "/bao-cao/nhap-excel/",
        "/thong-bao/",
        "/thong-bao/cai-dat/",
        "/don-doc/",
        "/co-quan/sap-xep/",
        "/co-quan/sap-xep/{reorg}/",
        "/co-quan/{org}/",
        "/mat-khau/",
        "/quen-mat-khau/",
        "/dang-nhap/",
    ]

    forms: list[Form]

    def setUp(self) -> None:
        super().setUp()
        found: dict[tuple[str, str, tuple[str, ...]], Form] = {}
        for who, user in self.people().items():
            client = self.client_for(user)
            for page in self.PAGES:
                for form in forms_of(client, page.format(**self.real), who):
                    found.setdefault((form.action, form.method, tuple(sorted(form.fields))), form)
        self.forms = sorted(found.values(), key=lambda f: (f.action, f.method, sorted(f.fields)))

    def test_every_form_with_each_hostile_value_in_every_field(self) -> None:
        """Deterministic: each form the pages show, every field at once holding one hostile
        value, sent by the role that was shown the form."""
        self.assertGreater(len(self.forms), 15)
        hostile: list[Any] = [
            "²",
            "99999999999999999999",
            "\x00" + "x" * 70_000,
            "",
            ["1", "²"],
            "31/12/9999",  # the last day a date holds: the day after overflowed the reports
            "0001-01-01..0001-01-01",
        ]
        for form in self.forms:
            client = self.client_for(self.people()[form.seen_by])
            for value in hostile:
                sent = {name: value for name in form.fields}
                method = "post" if form.method == "post" else "get"
                self.answer(client, method, form.action, sent, who=form.seen_by)

    def test_each_field_of_the_search_and_report_forms_alone(self) -> None:
        """Deterministic: in each GET form (the lists' filters, the report's period), one field
        at a time holds a hostile value while the others keep what the page filled in, so that
        a value the form accepts reaches the code that computes with it."""
        hostile = ["31/12/9999", "01/01/0001", "0001-01-01..0001-01-01", "99999999999999999999"]
        for form in (f for f in self.forms if f.method == "get"):
            client = self.client_for(self.people()[form.seen_by])
            for name in form.fields:
                for value in hostile:
                    sent = {**form.defaults, name: value}
                    self.answer(client, "get", form.action, sent, who=form.seen_by)

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def test_every_form_field_with_hostile_values_as_any_role(self, data: Any) -> None:
        self.assertGreater(len(self.forms), 15)
        form = data.draw(st.sampled_from(self.forms), label="form")
        who = data.draw(st.sampled_from(sorted(self.people())), label="who")
        names = sorted(form.fields)
        chosen = (
            data.draw(st.lists(st.sampled_from(names), unique=True), label="fields")
            if names
            else []
        )
        sent: dict[str, Any] = {}
        for name in names:
            if name in chosen:
                sent[name] = data.draw(
                    field_values if form.method == "post" else values, label=name
                )
            elif name in form.defaults:
                sent[name] = form.defaults[name]
        client = self.client_for(self.people()[who])
        method = "post" if form.method == "post" else "get"
        self.answer(client, method, form.action, sent, who=who)

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def test_every_query_parameter_of_the_lists_and_reports(self, data: Any) -> None:
        get_forms = [f for f in self.forms if f.method == "get"]
        names = sorted({n for f in get_forms for n in f.fields} | set(HAND_READ))
        page = data.draw(
            st.sampled_from(
                [
                    "/",
                    "/nhiem-vu/",
                    "/nhiem-vu/xuat.csv",
                    "/nhiem-vu/xuat.xlsx",
                    "/nhiem-vu/{task}/",
                    "/bao-cao/",
                    "/bao-cao/tai-ve/",
                    "/bao-cao/tep/",
                    "/thong-bao/",
                    "/don-doc/",
                    "/co-quan/tim/",
                    "/co-quan/sap-xep/{reorg}/",
                    "/co-quan/{org}/",
                    "/api/v1/tasks",
                    "/api/v1/reports/summary",
                ]
            ),
            label="page",
        )
        query = data.draw(
            st.dictionaries(st.sampled_from(names), values, min_size=1, max_size=4), label="query"
        )
        who = data.draw(st.sampled_from(sorted(self.people())), label="who")
        client = self.client_for(self.people()[who])
        self.answer(client, "get", page.format(**self.real), query, who=who)
