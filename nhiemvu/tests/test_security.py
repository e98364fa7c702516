"""Who sees and changes what, proven cell by cell.

The matrix: every page (by URL name) and every API operation × every persona (and API key)
× an object of the persona's own organisation and one of another. The expected answer comes
from the permission rules themselves (rules.py predicates), so a view that forgets its check,
or checks the wrong thing, disagrees with its rule and fails here. Refused writes change
nothing: the task's row, its timeline and the audit log are compared before and after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from nhiemvu.accounts.models import ApiKey, User
from nhiemvu.assignments import rules as perms
from nhiemvu.assignments.actions import ACTIONS, permitted
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.audit.models import AuditEvent
from nhiemvu.orgs.rules import scope_of
from nhiemvu.test import PASSWORD, BaseTestCase, api_key, register

# Valid bodies, so that a refusal can only come from permissions, not from validation.
BODIES: dict[str, dict[str, str]] = {
    "accept": {},
    "refuse": {"reason": "Không thuộc chức năng"},
    "progress": {"text": "Đang thực hiện", "percent": "40"},
    "complete": {"output_ref": "12/BC-X", "output_date": "2026-03-10"},
    "extend": {"proposed_deadline": "2026-04-30", "reason": "Chờ số liệu"},
    "confirm": {"note": ""},
    "return": {"reason": "Thiếu số liệu"},
    "advise": {"extension": "none", "advice": "Đồng ý"},
    "decide": {"extension": "none", "approve": "yes"},
    "pause": {"reason": "Tạm dừng"},
    "resume": {"note": ""},
    "reassign": {"lead": "so-tc", "reason": ""},
    "comment": {"text": "Ý kiến"},
    "delegate": {"assignee": "lead", "division": "", "internal_deadline": "", "note": ""},
    "report_inside": {"text": "Đã xong", "percent": "10"},
    "explain": {"cause": "vuong-mac-phap-ly", "explanation": "Vướng thủ tục"},
    "return_explanation": {"reason": "Chưa đạt"},
    "split": {"content": "Phần việc", "lead": "so-khcn", "deadline": "20/03/2026"},
    "report_upward": {"ref": "95/BC-UBND", "report_date": "10/03/2026"},
}


def snapshot(task: Assignment) -> tuple[Any, ...]:
    task.refresh_from_db()
    return (
        task.state,
        task.deadline,
        task.lead_id,
        task.updated_at,
        task.events.count(),
        task.extensions.count(),
        AuditEvent.objects.count(),
    )


class TwoTasksTestCase(BaseTestCase):
    """The base task (led by A, coordinated by B) and a task of another organisation (C, the
    outsider's), which nobody at A or B may touch."""

    def setUp(self) -> None:
        super().setUp()
        register(
            self.p,
            ref="300/UBND-VX",
            tasks=[
                TaskSpec(
                    content="Việc của huyện", lead=self.p.agency_c, deadline=dt.date(2026, 4, 30)
                )
            ],
        )
        self.other = Assignment.objects.get(lead=self.p.agency_c)


class MatrixTest(TwoTasksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.personas = self.p.personas()

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def test_every_page_answers_as_its_rule_says(self) -> None:
        own, other = self.task, self.other
        cells = 0
        for name, user in self.personas.items():
            client = self.client_for(user)
            scope = scope_of(user)
            for task in (own, other):
                can = perms.can_view(user, task)
                pages = [
                    reverse("task_detail", args=[task.code]),
                    reverse("directive_detail", args=[task.directive.code]),
                ]
                for url in pages:
                    status = client.get(url).status_code
                    self.assertEqual(status, 200 if can else 404, (name, url))
                    cells += 1
                listed = client.get(reverse("task_list")).content.decode()
                self.assertEqual(task.code in listed, can, (name, "task_list", task.code))
                exported = client.get(reverse("task_list_csv")).getvalue().decode()
                self.assertEqual(task.code in exported, can, (name, "csv", task.code))
                cells += 2
            for org in (self.p.agency_a, self.p.agency_c):
                status = client.get(reverse("organisation_detail", args=[org.code])).status_code
                allowed = scope.province or org.pk in scope.org_ids
                self.assertEqual(status, 200 if allowed else 404, (name, org.code))
                cells += 1
            for url_name in ("directive_import", "urging", "import_excel", "import_template"):
                status = client.get(reverse(url_name)).status_code
                self.assertEqual(status, 200 if scope.is_office else 403, (name, url_name))
                cells += 1
            for url_name in ("home", "task_list", "report", "notifications", "report_files"):
                self.assertEqual(client.get(reverse(url_name)).status_code, 200, (name, url_name))
                cells += 1
        self.assertGreaterEqual(cells, 10 * 15)

    def test_every_action_is_refused_unless_its_rule_allows_it_and_refusals_change_nothing(
        self,
    ) -> None:
        for task in (self.task, self.other):
            for name, user in self.personas.items():
                client = self.client_for(user)
                for action in ACTIONS:
                    before = snapshot(task)
                    url = reverse("task_action", args=[task.code, action])
                    response = client.post(url, BODIES[action])
                    visible = perms.can_view(user, task)
                    allowed = visible and permitted(action, user, task)
                    if not visible:
                        self.assertEqual(response.status_code, 404, (name, action, task.code))
                    elif not allowed:
                        self.assertEqual(response.status_code, 403, (name, action, task.code))
                    if not allowed:
                        self.assertEqual(snapshot(task), before, (name, action, task.code))
                    else:
                        self.assertIn(response.status_code, (302, 400), (name, action))

    def test_anonymous_visitors_are_sent_to_log_in_and_post_nothing(self) -> None:
        client = Client()
        for url in (
            reverse("home"),
            reverse("task_list"),
            reverse("task_detail", args=[self.task.code]),
            reverse("report"),
            reverse("directive_import"),
        ):
            response = client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith("/dang-nhap/"), url)
        before = snapshot(self.task)
        client.post(reverse("task_action", args=[self.task.code, "accept"]), {})
        self.assertEqual(snapshot(self.task), before)

    def test_a_post_without_the_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.p.lead_officer)
        before = snapshot(self.task)
        response = client.post(reverse("task_action", args=[self.task.code, "accept"]), {})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(snapshot(self.task), before)


class ApiMatrixTest(TwoTasksTestCase):
    """Every API operation × every kind of key, on a task of the key's organisation and one
    of another."""

    def setUp(self) -> None:
        super().setUp()
        # The office last: its actions (reassign, pause) change whose task it is.
        self.keys = {
            "lead-read": api_key(self.p.agency_a, scope="read"),
            "coordinator": api_key(self.p.agency_b),
            "outsider": api_key(self.p.agency_c),
            "lead-write": api_key(self.p.agency_a),
            "office": api_key(self.p.office_org, role="office"),
        }

    def call(self, method: str, path: str, key: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        if method == "get":
            return self.client.get(path, headers=headers)
        return self.client.post(path, body or {}, content_type="application/json", headers=headers)

    def test_the_matrix(self) -> None:
        bodies = {
            "accept": {},
            "refuse": {"reason": "r"},
            "progress": {"text": "t", "percent": 10},
            "complete": {"output_ref": "1/BC", "output_date": "2026-03-10"},
            "extend": {"proposed_deadline": "2026-04-30", "reason": "r"},
            "confirm": {},
            "return": {"reason": "r"},
            "comment": {"text": "t"},
            "pause": {"reason": "r"},
            "resume": {},
            "reassign": {"lead": "so-tc"},
            "delegate": {"assignee": "lead"},
            "report_inside": {"text": "t"},
        }
        cells = 0
        for label, key in self.keys.items():
            # The key's own service account: "nv_<prefix>_<secret>".
            user = ApiKey.objects.get(prefix=key.split("_")[1]).user
            for task in (self.task, self.other):
                task.refresh_from_db()
                visible = perms.can_view(user, task)
                for path in (
                    f"/api/v1/tasks/{task.code}",
                    f"/api/v1/directives/{task.directive.code}",
                ):
                    status = self.call("get", path, key).status_code
                    self.assertEqual(status, 200 if visible else 404, (label, path))
                    cells += 1
                listed = self.call("get", "/api/v1/tasks?limit=200", key).json()["items"]
                self.assertEqual(task.code in {t["code"] for t in listed}, visible, label)
                cells += 1
                for action, body in bodies.items():
                    before = snapshot(task)
                    visible = perms.can_view(user, task)
                    response = self.call("post", f"/api/v1/tasks/{task.code}/{action}", key, body)
                    allowed = visible and permitted(action, user, task)
                    if label == "lead-read":
                        expected = {403}
                    elif not visible:
                        expected = {404}
                    elif not allowed:
                        expected = {403}
                    else:
                        # Permitted: done, or refused for the task's state (409) or the body
                        # (422, 400) — never a 403/404 and never a change on refusal.
                        expected = {200, 400, 409, 422}
                    self.assertIn(response.status_code, expected, (label, action, task.code))
                    if response.status_code != 200:
                        self.assertEqual(snapshot(task), before, (label, action))
                    cells += 1
            # Without any key: 401 everywhere, nothing changes.
        for path in (
            "/api/v1/tasks",
            f"/api/v1/tasks/{self.task.code}",
            "/api/v1/organisations",
            "/api/v1/calendar?start=2026-01-01&end=2026-01-31",
        ):
            self.assertEqual(self.call("get", path, None).status_code, 401, path)
            cells += 1
        before = snapshot(self.task)
        self.assertEqual(
            self.call("post", f"/api/v1/tasks/{self.task.code}/accept", None).status_code, 401
        )
        self.assertEqual(snapshot(self.task), before)
        self.assertGreaterEqual(cells, 5 * 2 * 14)


class LoginProtectionTest(BaseTestCase):
    @override_settings(AXES_ENABLED=True)
    def test_repeated_failures_lock_the_account_out_with_a_vietnamese_message(self) -> None:
        client = Client()
        answers = [
            client.post(reverse("login"), {"username": "lead", "password": "sai-mat-khau"})
            for _ in range(5)
        ]
        # Four wrong passwords are answered by the form; the fifth locks the account.
        self.assertEqual([a.status_code for a in answers], [200, 200, 200, 200, 429])
        locked = client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "tạm khoá", status_code=429)
        self.assertNotIn("_auth_user_id", client.session)
        # Someone else at the same desk still logs in.
        other = client.post(reverse("login"), {"username": "office", "password": PASSWORD})
        self.assertEqual(other.status_code, 302)


class UrlShapeTest(BaseTestCase):
    def test_no_page_or_api_address_carries_a_sequential_id(self) -> None:
        """Objects are addressed by opaque codes (DESIGN rule 3); only the Django admin, for
        administrators, keeps its own numeric addresses."""

        def walk(patterns: list[Any], prefix: str = "") -> list[str]:
            found = []
            for p in patterns:
                route = prefix + str(p.pattern)
                if isinstance(p, URLResolver):
                    if route.startswith("quan-tri/"):
                        continue
                    found += walk(p.url_patterns, route)
                elif isinstance(p, URLPattern):
                    found.append(route)
            return found

        routes = walk(get_resolver().url_patterns)
        self.assertTrue(any(r.startswith("api/v1/") for r in routes))
        offenders = [r for r in routes if "<int:" in r or "<pk" in r or "{id}" in r]
        self.assertEqual(offenders, [])
        schema = self.client.get("/api/v1/openapi.json").json()
        for path, operations in schema["paths"].items():
            for op in operations.values():
                for param in op.get("parameters", []):
                    if param["in"] == "path":
                        self.assertEqual(param["schema"].get("type"), "string", (path, param))


class AuditLogViewTest(BaseTestCase):
    def test_administrators_read_and_filter_the_audit_log_others_cannot(self) -> None:
        admin = self.p.admin
        admin.is_staff = True
        admin.is_superuser = True
        admin.save()
        client = Client()
        client.force_login(admin)
        url = reverse("admin:audit_auditevent_changelist")
        response = client.get(url, {"action": "directive.register"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "100/UBND-KT")
        self.assertEqual(client.get(url, {"q": "khong-co-gi"}).status_code, 200)
        office = Client()
        office.force_login(self.p.office)
        self.assertEqual(office.get(url).status_code, 302)  # to the admin's own login
        # Read-only, even for the administrator.
        event = AuditEvent.objects.first()
        assert event is not None
        change = reverse("admin:audit_auditevent_change", args=[event.pk])
        client.post(change, {"action": "doi"})
        event.refresh_from_db()
        self.assertNotEqual(event.action, "doi")
