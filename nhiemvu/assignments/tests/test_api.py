"""The API does what an agency officer does in the browser, and nothing more than its key allows."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

from django.test import override_settings

from nhiemvu.accounts.models import ApiKey
from nhiemvu.accounts.services import apikey_revoke
from nhiemvu.assignments.models import Assignment, DeliverableKind, WorkState
from nhiemvu.assignments.schemas import Deliverable, StatusLabel
from nhiemvu.assignments.status import LABEL_NAMES
from nhiemvu.audit.models import AuditEvent
from nhiemvu.test import BaseTestCase, api_key

TODAY = dt.date(2026, 3, 11)


class ApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.lead_key = api_key(self.p.agency_a)
        self.coord_key = api_key(self.p.agency_b)
        self.outsider_key = api_key(self.p.agency_c)
        self.office_key = api_key(self.p.office_org, role="office")
        self.read_key = api_key(self.p.agency_a, scope="read")

    def call(self, method: str, path: str, key: str | None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        send = getattr(self.client, method)
        if method in ("post", "put", "patch") and "content_type" not in kwargs:
            kwargs["content_type"] = "application/json"
        return send(f"/api/v1{path}", headers=headers, **kwargs)


class AuthTest(ApiTestCase):
    def test_no_key_a_wrong_key_and_a_revoked_key_get_401(self) -> None:
        for key in (None, "nv_abc_def", self.lead_key[:-2] + "xx"):
            response = self.call("get", "/tasks", key)
            self.assertEqual(response.status_code, 401)
            self.assertEqual(response.json()["code"], "unauthenticated")
            self.assertIn("Thiếu khoá API", response.json()["message"])
        apikey_revoke(actor=None, key=ApiKey.objects.get(org=self.p.agency_a, scope="write"))
        self.assertEqual(self.call("get", "/tasks", self.lead_key).status_code, 401)

    def test_the_x_api_key_header_works_too(self) -> None:
        response = self.client.get("/api/v1/tasks", headers={"X-API-Key": self.lead_key})
        self.assertEqual(response.status_code, 200)

    def test_a_read_key_cannot_write(self) -> None:
        response = self.call("post", f"/tasks/{self.task.code}/accept", self.read_key)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "read_only_key")
        self.assertIsNone(self.reload().accepted_at)
        self.assertEqual(
            self.call("get", f"/tasks/{self.task.code}", self.read_key).status_code, 200
        )

    def test_the_rate_limit_is_per_key_and_per_minute(self) -> None:
        limited = api_key(self.p.agency_a, scope="read", rate_per_minute=3)
        codes = [self.call("get", "/tasks", limited).status_code for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])
        response = self.call("get", "/tasks", limited)
        self.assertEqual(response["Retry-After"], "60")
        self.assertIn("tối đa 3", response.json()["message"])
        self.assertEqual(self.call("get", "/tasks", self.lead_key).status_code, 200)

    def test_reads_do_not_write_the_shared_counter_each_time_nor_exceed_the_limit(self) -> None:
        from unittest import mock

        from nhiemvu.accounts import services as accounts
        from nhiemvu.accounts.models import ApiKeyWindow

        limited = api_key(self.p.agency_a, scope="read", rate_per_minute=40)  # slices of 4
        key = accounts.apikey_find(limited)
        assert key is not None
        # Two web processes, each with its own memory, sharing the database's counter.
        process_a: dict[Any, int] = {}
        process_b: dict[Any, int] = {}
        codes = []
        for n in range(60):
            with mock.patch.object(accounts, "_slices", process_a if n % 3 else process_b):
                codes.append(self.call("get", "/tasks", limited).status_code)
                if n == 5:
                    window = ApiKeyWindow.objects.get(key=key)
                    # 6 requests so far took 2 slices of 4 (one per process): 2 writes, not 6.
                    self.assertEqual(window.count, 8)
        allowed = codes.count(200)
        self.assertLessEqual(allowed, 40)  # never more than the key's rate…
        self.assertGreaterEqual(allowed, 40 - 4)  # …and at most one slice short of it
        self.assertEqual(codes[-5:], [429] * 5)
        self.assertEqual(ApiKeyWindow.objects.get(key=key).count, 40)

    def test_the_key_is_stored_as_a_digest_and_creation_is_audited(self) -> None:
        key = ApiKey.objects.get(org=self.p.agency_a, scope="write")
        secret = self.lead_key.split("_", 2)[2]  # nv_<prefix>_<secret>; the secret may hold "_"
        self.assertGreater(len(secret), 40)
        self.assertNotIn(secret, key.digest)
        self.assertEqual(len(key.digest), 64)
        self.assertTrue(AuditEvent.objects.filter(action="apikey.create").exists())
        self.assertFalse(key.user.has_usable_password())


class TaskApiTest(ApiTestCase):
    def test_each_key_sees_only_its_organisations_tasks(self) -> None:
        mine = self.call("get", "/tasks", self.lead_key).json()
        self.assertEqual([t["code"] for t in mine["items"]], [self.task.code])
        self.assertEqual(mine["items"][0]["status"], "within")
        coordinated = self.call("get", "/tasks", self.coord_key).json()["items"]
        self.assertEqual([t["code"] for t in coordinated], [self.task.code])
        self.assertEqual(self.call("get", "/tasks", self.outsider_key).json()["items"], [])
        response = self.call("get", f"/tasks/{self.task.code}", self.outsider_key)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "not_found")

    def test_the_officer_loop_through_the_api(self) -> None:
        code = self.task.code
        accepted = self.call("post", f"/tasks/{code}/accept", self.lead_key)
        self.assertEqual(accepted.status_code, 200, accepted.content)
        self.assertIn("complete", accepted.json()["actions"])
        progress = self.call(
            "post",
            f"/tasks/{code}/progress",
            self.lead_key,
            data={"text": "Đã rà soát", "percent": 60},
        )
        self.assertEqual(progress.json()["progress_percent"], 60)
        # The coordinating agency may comment but not report for the lead.
        refused = self.call(
            "post",
            f"/tasks/{code}/complete",
            self.coord_key,
            data={"output_ref": "1/BC-STC", "output_date": "2026-03-10"},
        )
        self.assertEqual(refused.status_code, 403)
        done = self.call(
            "post",
            f"/tasks/{code}/complete",
            self.lead_key,
            data={"output_ref": "12/BC-SKHCN", "output_date": "2026-03-10"},
        )
        self.assertEqual(done.json()["status"], "awaiting")
        back = self.call(
            "post", f"/tasks/{code}/return", self.office_key, data={"reason": "Thiếu số liệu"}
        )
        self.assertEqual(back.json()["status"], "returned")
        again = self.call(
            "post",
            f"/tasks/{code}/complete",
            self.lead_key,
            data={"output_ref": "13/BC-SKHCN", "output_date": "2026-03-11"},
        )
        self.assertEqual(again.status_code, 200)
        confirmed = self.call("post", f"/tasks/{code}/confirm", self.office_key, data={})
        self.assertEqual(confirmed.json()["status"], "done_on_time")
        kinds = [e["kind"] for e in confirmed.json()["timeline"]]
        self.assertEqual(kinds[-3:], ["returned", "completion", "confirmed"])
        self.assertEqual(self.reload().state, WorkState.DONE)

    def test_a_rejected_action_says_why_in_vietnamese_and_changes_nothing(self) -> None:
        bad = self.call(
            "post",
            f"/tasks/{self.task.code}/complete",
            self.lead_key,
            data={"output_ref": "12/BC", "output_date": "2026-12-31"},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(bad.json()["code"], "rejected")
        self.assertIn("không được sau ngày hôm nay", bad.json()["message"])
        self.assertEqual(self.reload().state, WorkState.OPEN)
        wrong = self.call(
            "post",
            f"/tasks/{self.task.code}/complete",
            self.lead_key,
            data={"output_ref": "12/BC", "output_date": "31/02/2026"},
        )
        self.assertEqual(wrong.status_code, 422)
        self.assertEqual(
            wrong.json()["fields"]["output_date"], ["Ngày không hợp lệ (dạng YYYY-MM-DD)."]
        )
        nul = self.call(
            "post", f"/tasks/{self.task.code}/comment", self.lead_key, data={"text": "a\x00b"}
        )
        self.assertEqual(nul.status_code, 422)
        self.assertIn("NUL", nul.json()["fields"]["text"][0])

    def test_an_extension_requested_and_advised_through_the_api(self) -> None:
        code = self.task.code
        asked = self.call(
            "post",
            f"/tasks/{code}/extend",
            self.lead_key,
            data={"proposed_deadline": "2026-04-30", "reason": "Chờ số liệu"},
        )
        extension = asked.json()["extensions"][0]
        self.assertEqual(extension["status"], "pending")
        advised = self.call(
            "post",
            f"/tasks/{code}/extensions/{extension['code']}/advise",
            self.office_key,
            data={"advice": "Đề nghị đồng ý"},
        )
        self.assertEqual(advised.json()["extensions"][0]["office_advice"], "Đề nghị đồng ý")
        # Deciding belongs to a leader, who has no API key: a system cannot approve it.
        decided = self.call(
            "post",
            f"/tasks/{code}/extensions/{extension['code']}/decide",
            self.office_key,
            data={"approve": True},
        )
        self.assertEqual(decided.status_code, 403)
        self.assertEqual(self.reload().deadline, dt.date(2026, 3, 31))

    def test_the_list_filters_and_pages_by_cursor(self) -> None:
        from nhiemvu.assignments.services import TaskSpec
        from nhiemvu.test import register

        register(
            self.p,
            ref="9/UBND-VX",
            tasks=[
                TaskSpec(
                    content=f"Việc {i}", lead=self.p.agency_a, deadline=dt.date(2026, 4, 1 + i)
                )
                for i in range(5)
            ],
        )
        first = self.call("get", "/tasks?limit=4", self.lead_key).json()
        second = self.call("get", f"/tasks?limit=4&after={first['next']}", self.lead_key).json()
        codes = [t["code"] for t in first["items"] + second["items"]]
        self.assertEqual(len(set(codes)), 6)
        self.assertIsNone(second["next"])
        back = self.call("get", f"/tasks?limit=4&before={second['previous']}", self.lead_key).json()
        self.assertEqual(back["items"], first["items"])
        filtered = self.call("get", "/tasks?deliverable=bao_cao", self.lead_key).json()["items"]
        self.assertEqual([t["code"] for t in filtered], [self.task.code])
        bad = self.call("get", "/tasks?after=!!!", self.lead_key)
        self.assertEqual((bad.status_code, bad.json()["code"]), (400, "bad_cursor"))
        self.assertEqual(self.call("get", "/tasks?status=nonsense", self.lead_key).status_code, 422)

    def test_the_office_adds_a_task_and_an_agency_cannot(self) -> None:
        body = {
            "directive": self.task.directive.code,
            "content": "Sở Tài chính thẩm định kinh phí",
            "lead": self.p.agency_b.code,
            "deadline": "2026-04-15",
        }
        created = self.call("post", "/tasks", self.office_key, data=body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["lead"]["code"], self.p.agency_b.code)
        self.assertEqual(self.call("post", "/tasks", self.lead_key, data=body).status_code, 403)
        unknown = self.call("post", "/tasks", self.office_key, data={**body, "lead": "khong-co"})
        self.assertEqual(unknown.status_code, 400)
        self.assertIn("khong-co", unknown.json()["fields"]["lead"][0])
        no_deadline = self.call(
            "post",
            "/tasks",
            self.office_key,
            data={**body, "deadline": None, "deliverable_kind": "bao_cao"},
        )
        self.assertEqual(no_deadline.status_code, 400)
        self.assertEqual(Assignment.objects.count(), 2)


class ReferenceApiTest(ApiTestCase):
    def test_organisations_calendar_and_report_figures(self) -> None:
        orgs = self.call("get", "/organisations?limit=2", self.read_key).json()
        self.assertEqual(len(orgs["items"]), 2)
        rest = self.call("get", f"/organisations?after={orgs['next']}", self.read_key).json()
        self.assertNotIn(orgs["items"][0]["code"], [o["code"] for o in rest["items"]])
        tet = self.call("get", "/calendar?start=2026-02-14&end=2026-02-23", self.read_key).json()
        self.assertFalse(next(d for d in tet["days"] if d["date"] == "2026-02-17")["working"])
        added = self.call("get", "/calendar/add?date=2026-02-13&working_days=1", self.read_key)
        self.assertEqual(added.json()["date"], "2026-02-23")  # Tết week skipped
        too_long = self.call("get", "/calendar?start=2026-01-01&end=2028-01-01", self.read_key)
        self.assertEqual(too_long.json()["code"], "bad_range")
        report = self.call("get", "/reports/summary?period=2026-Q1", self.office_key).json()
        self.assertEqual(report["total"]["total"], 1)
        self.assertEqual(report["period"]["label"], "Quý I năm 2026")
        bad = self.call("get", "/reports/summary?period=2026-Q7", self.office_key)
        self.assertEqual((bad.status_code, bad.json()["code"]), (422, "invalid"))
        february = self.call(
            "get", "/reports/summary?period=2026-02-30..2026-03-31", self.office_key
        )
        self.assertEqual((february.status_code, february.json()["code"]), (400, "bad_period"))


class SchemaTest(ApiTestCase):
    def test_every_operation_documents_its_answers(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertEqual(schema["openapi"], "3.1.0")
        operations = [op for ops in schema["paths"].values() for op in ops.values()]
        self.assertGreaterEqual(len(operations), 24)
        for op in operations:
            self.assertTrue({"401", "403", "404", "422", "429"} <= set(op["responses"]), op)

    def test_the_schema_enums_are_the_domain_enums(self) -> None:
        self.assertEqual(set(get_args(StatusLabel)), set(LABEL_NAMES))
        self.assertEqual(set(get_args(Deliverable)), set(DeliverableKind.values))

    @override_settings(DEBUG=False)
    def test_swagger_and_redoc_are_served_from_our_static_files(self) -> None:
        swagger = self.client.get("/api/v1/docs")
        self.assertContains(swagger, "/static/ninja/swagger-ui-bundle.js")
        self.assertNotContains(swagger, "cdn.")
        redoc = self.client.get("/api/v1/redoc")
        self.assertContains(redoc, "/static/ninja/redoc.standalone.js")
        self.assertNotContains(redoc, "<script>")


class ApiFileTest(ApiTestCase):
    PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def test_completion_with_the_output_document_as_in_the_browser(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from nhiemvu.assignments.models import AssignmentAttachment

        url = f"/api/v1/tasks/{self.task.code}/complete/upload"
        headers = {"Authorization": f"Bearer {self.lead_key}"}
        bad = self.client.post(
            url,
            {
                "output_ref": "12/BC-SKHCN",
                "output_date": "2026-03-10",
                "file": SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf"),
            },
            headers=headers,
        )
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(self.reload().state, WorkState.OPEN)
        self.assertFalse(AssignmentAttachment.objects.exists())
        ok = self.client.post(
            url,
            {
                "output_ref": "12/BC-SKHCN",
                "output_date": "2026-03-10",
                "file": SimpleUploadedFile("bao-cao.pdf", self.PDF),
            },
            headers=headers,
        )
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["status"], "awaiting")
        attachment = AssignmentAttachment.objects.get()
        self.assertEqual(attachment.original_name, "bao-cao.pdf")
        assert attachment.event is not None
        self.assertEqual(attachment.event.kind, "completion")
