"""The API's own answers to requests it refuses: always its JSON body, in the order a person
expects — who asks (403), whether the task is in a state for the step (409, with the workflow's
reason in Vietnamese), then what was sent (422/400)."""

from __future__ import annotations

import datetime as dt
import logging

from nhiemvu.assignments.models import Assignment, Explanation, WorkState
from nhiemvu.assignments.tests.test_api import ApiTestCase
from nhiemvu.test import travel


class MalformedBodyTest(ApiTestCase):
    def test_it_answers_a_multipart_body_without_boundary_with_its_json_and_no_traceback(
        self,
    ) -> None:
        records: list[logging.LogRecord] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record)

        handler = Keep()
        logger = logging.getLogger("django")
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        response = self.client.post(
            f"/api/v1/tasks/{self.task.code}/comment/upload",
            data=b"--x\r\nContent-Disposition: form-data; name=text\r\n\r\nhi\r\n--x--\r\n",
            content_type="multipart/form-data",  # no boundary
            headers={"Authorization": f"Bearer {self.lead_key}"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(response.json()["code"], "bad_request")
        self.assertEqual(response.json()["message"], "Yêu cầu không đúng định dạng.")
        self.assertEqual([r for r in records if r.exc_info], [])
        self.assertFalse(self.reload().events.filter(kind="comment").exists())


class PermissionFirstTest(ApiTestCase):
    BODY = {"directive": "khong-co", "content": "Việc", "lead": "khong-co"}

    def test_it_refuses_an_agency_key_adding_a_task_whatever_the_body(self) -> None:
        real = {**self.BODY, "directive": self.task.directive.code, "lead": self.p.agency_b.code}
        for body in (self.BODY, real, {"content": 5}, {}):
            answer = self.call("post", "/tasks", self.lead_key, data=body)
            self.assertEqual(answer.status_code, 403, body)
            self.assertEqual(
                answer.json()["message"], "Chỉ Văn phòng UBND tỉnh được cập nhật nhiệm vụ."
            )
        not_json = self.call("post", "/tasks", self.lead_key, data="{", content_type="text/plain")
        self.assertEqual(not_json.status_code, 403)
        self.assertEqual(Assignment.objects.count(), 1)
        # The office itself still hears what is wrong with the body.
        unknown = self.call("post", "/tasks", self.office_key, data=self.BODY)
        self.assertEqual(unknown.status_code, 404)  # no such document
        self.assertEqual(self.call("post", "/tasks", self.office_key, data={}).status_code, 422)

    def test_it_refuses_a_step_to_a_key_that_may_not_take_it_before_reading_the_body(self) -> None:
        for body in ({}, {"output_ref": 5}, {"output_ref": "1/BC", "output_date": "2026-03-10"}):
            answer = self.call(
                "post", f"/tasks/{self.task.code}/complete", self.coord_key, data=body
            )
            self.assertEqual(answer.status_code, 403, body)
            self.assertIn("cơ quan chủ trì", answer.json()["message"])
        self.assertEqual(self.reload().state, WorkState.OPEN)


class WrongStateTest(ApiTestCase):
    def test_it_answers_409_with_the_reason_when_the_task_is_not_in_a_state_for_the_step(
        self,
    ) -> None:
        code = self.task.code
        confirm = self.call("post", f"/tasks/{code}/confirm", self.office_key, data={})
        self.assertEqual((confirm.status_code, confirm.json()["code"]), (409, "wrong_state"))
        self.assertEqual(confirm.json()["message"], "Chưa có báo cáo hoàn thành để xác nhận.")
        returned = self.call("post", f"/tasks/{code}/return", self.office_key, data={"reason": "x"})
        self.assertEqual(returned.status_code, 409)
        self.assertEqual(self.call("post", f"/tasks/{code}/accept", self.lead_key).status_code, 200)
        again = self.call("post", f"/tasks/{code}/accept", self.lead_key)
        self.assertEqual(again.status_code, 409)
        self.assertEqual(again.json()["message"], "Nhiệm vụ này đã được tiếp nhận.")
        done = {"output_ref": "12/BC-SKHCN", "output_date": "2026-03-10"}
        self.assertEqual(
            self.call("post", f"/tasks/{code}/complete", self.lead_key, data=done).status_code, 200
        )
        # The state is why, whatever the body: an empty one gets the same 409, not a 422.
        for body in (done, {}):
            twice = self.call("post", f"/tasks/{code}/complete", self.lead_key, data=body)
            self.assertEqual(twice.status_code, 409, body)
            self.assertIn("chờ xác nhận", twice.json()["message"])
        # Who asks comes first: the coordinating agency is refused, not told the state.
        self.assertEqual(
            self.call("post", f"/tasks/{code}/accept", self.coord_key).status_code, 403
        )
        self.assertEqual(self.reload().state, WorkState.REPORTED)

    def test_it_answers_409_for_a_decided_request_and_404_for_an_unknown_one(self) -> None:
        code = self.task.code
        asked = self.call(
            "post",
            f"/tasks/{code}/extend",
            self.lead_key,
            data={"proposed_deadline": "2026-04-30", "reason": "Chờ số liệu"},
        ).json()["extensions"][0]["code"]
        unknown = self.call(
            "post",
            f"/tasks/{code}/extensions/khong-co/advise",
            self.office_key,
            data={"advice": "x"},
        )
        self.assertEqual(unknown.status_code, 404)
        from nhiemvu.assignments import services
        from nhiemvu.assignments.models import Extension

        services.extension_decide(
            actor=self.p.chairman,
            extension=Extension.objects.get(code=asked),
            approve=False,
            note="Không đủ căn cứ",
            new_deadline=None,
        )
        late = self.call(
            "post",
            f"/tasks/{code}/extensions/{asked}/advise",
            self.office_key,
            data={"advice": "x"},
        )
        self.assertEqual((late.status_code, late.json()["code"]), (409, "wrong_state"))
        self.assertEqual(late.json()["message"], "Đề nghị này đã được quyết định.")

    def test_the_schema_declares_409_on_the_steps(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                step = path.startswith("/api/v1/tasks/{code}/") and method == "post"
                self.assertEqual("409" in operation["responses"], step, (method, path))


class ExplanationApiTest(ApiTestCase):
    """A late completion, an explanation of delay and its return, through the API (issue 25)."""

    LATE = {"output_ref": "20/BC-SKHCN", "output_date": "2026-04-06"}

    def test_it_reports_a_late_completion_with_its_cause(self) -> None:
        code = self.task.code  # due 31/3/2026
        with travel(dt.date(2026, 4, 6)):
            bare = self.call("post", f"/tasks/{code}/complete", self.lead_key, data=self.LATE)
            self.assertEqual(bare.status_code, 400)
            self.assertIn("cause", bare.json()["fields"])
            explained = self.call(
                "post",
                f"/tasks/{code}/complete",
                self.lead_key,
                data={
                    **self.LATE,
                    "cause": "vuong-mac-phap-ly",
                    "explanation": "Chờ hướng dẫn của Bộ",
                    "remedy": "Làm việc sớm với Bộ",
                },
            )
        self.assertEqual(explained.status_code, 200, explained.content)
        self.assertEqual(explained.json()["status"], "awaiting")
        explanation = Explanation.objects.get(assignment=self.task)
        self.assertEqual(explanation.cause.code, "vuong-mac-phap-ly")
        self.assertEqual(explanation.text, "Chờ hướng dẫn của Bộ")

    def test_an_overdue_task_is_explained_and_the_explanation_returned(self) -> None:
        code = self.task.code
        with travel(dt.date(2026, 4, 8)):
            offered = self.call("get", f"/tasks/{code}", self.lead_key).json()["actions"]
            self.assertIn("explain", offered)
            missing = self.call("post", f"/tasks/{code}/explain", self.lead_key, data={})
            self.assertEqual(missing.status_code, 422)
            self.assertEqual(set(missing.json()["fields"]), {"cause", "explanation"})
            explained = self.call(
                "post",
                f"/tasks/{code}/explain",
                self.lead_key,
                data={"cause": "khoi-luong-lon", "explanation": "Thiếu người"},
            )
            self.assertEqual(explained.status_code, 200, explained.content)
            self.assertEqual(explained.json()["timeline"][-1]["kind"], "explained")
            self.assertIn(
                "return_explanation",
                self.call("get", f"/tasks/{code}", self.office_key).json()["actions"],
            )
            back = self.call(
                "post",
                f"/tasks/{code}/return_explanation",
                self.office_key,
                data={"reason": "Chưa nêu giải pháp"},
            )
            self.assertEqual(back.status_code, 200, back.content)
            self.assertEqual(back.json()["timeline"][-1]["kind"], "expl_returned")
            nothing = self.call(
                "post", f"/tasks/{code}/return_explanation", self.office_key, data={"reason": "x"}
            )
            self.assertEqual(nothing.status_code, 409)


class LimitsTest(ApiTestCase):
    """What the schema states is what the API takes: a request outside it is a 422 before any
    form or service; a code that names nothing registered (no schema can say) is a 400."""

    def test_a_code_naming_nothing_is_400_and_a_blank_text_is_refused_by_the_schema(self) -> None:
        unknown = self.call(
            "post", f"/tasks/{self.task.code}/reassign", self.office_key, data={"lead": "khong-co"}
        )
        self.assertEqual((unknown.status_code, unknown.json()["code"]), (400, "unknown"))
        self.assertEqual(list(unknown.json()["fields"]), ["lead"])
        blank = self.call(
            "post", f"/tasks/{self.task.code}/comment", self.lead_key, data={"text": "  "}
        )
        self.assertEqual((blank.status_code, blank.json()["code"]), (422, "invalid"))
        self.assertEqual(blank.json()["fields"]["text"], ["Không được để trống."])
        self.assertEqual(self.reload().lead, self.p.agency_a)

    def test_the_calendar_states_the_years_it_counts_in(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        add = next(
            p
            for p in schema["paths"]["/api/v1/calendar/add"]["get"]["parameters"]
            if p["name"] == "date"
        )
        self.assertEqual(add["schema"]["description"], "YYYY-MM-DD, years 1990-2100")
        early = self.call("get", "/calendar/add?date=1950-01-02&working_days=1", self.read_key)
        self.assertEqual((early.status_code, early.json()["code"]), (422, "invalid"))
        leap = self.call("get", "/calendar/add?date=2096-02-29&working_days=1", self.read_key)
        self.assertEqual(leap.json()["date"], "2096-03-01")

    def test_a_percentage_is_a_number_not_true_nor_null(self) -> None:
        # schemathesis found {"percent": false} taken as 0, and null taken though not in the schema.
        for percent in (True, False, None):
            answer = self.call(
                "post",
                f"/tasks/{self.task.code}/progress",
                self.lead_key,
                data={"text": "Đã rà soát", "percent": percent},
            )
            self.assertEqual(answer.status_code, 422, percent)
            self.assertEqual(list(answer.json()["fields"]), ["percent"])
        self.assertEqual(answer.json()["fields"]["percent"], ["Phải là một số nguyên."])
        self.assertFalse(self.reload().events.filter(kind="progress").exists())
