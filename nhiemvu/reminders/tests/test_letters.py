"""The urging letter words each task as the dashboard classes it (status.classify) and asks for
an explanation where the rule says one is due (explanations.due_q), whatever the day it is
printed on (issue 25)."""

from __future__ import annotations

import io
from datetime import date as D

import docx
from django.urls import reverse
from pypdf import PdfReader

from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment, DelayCause
from nhiemvu.reminders.letters import request_sentence, urging_letter, urging_letter_pdf
from nhiemvu.test import BaseTestCase, travel


class UrgingLetterWordingTest(BaseTestCase):
    def cells(self, day: D) -> list[str]:
        with travel(day):
            data = urging_letter(self.p.agency_a)
        document = docx.Document(io.BytesIO(data))
        return [c.text for t in document.tables for row in t.rows[1:] for c in row.cells]

    def test_a_letter_printed_on_saturday_calls_a_task_due_friday_overdue(self) -> None:
        Assignment.objects.filter(pk=self.task.pk).update(deadline=D(2026, 4, 24))  # a Friday
        with travel(D(2026, 4, 25)):  # Saturday: overdue on the task list too
            self.login(self.p.office)
            listed = self.client.get(reverse("task_list"), {"status": "overdue"})
        self.assertContains(listed, self.task.summary[:40])
        saturday = self.cells(D(2026, 4, 25))
        self.assertIn("Quá hạn", saturday)
        self.assertNotIn("Sắp đến hạn", saturday)
        self.assertIn("Sắp đến hạn", self.cells(D(2026, 4, 24)))  # on the day itself

    def test_the_letter_asks_for_an_explanation_only_while_none_stands(self) -> None:
        # Due 31/3; five working days later is 7/4/2026. Explained: not asked; the explanation
        # returned as insufficient: asked again.
        self.assertFalse(any("giải trình" in c for c in self.cells(D(2026, 4, 6))))
        self.assertTrue(any("đề nghị giải trình" in c for c in self.cells(D(2026, 4, 7))))
        spec = services.ExplanationSpec(
            cause=DelayCause.objects.get(code="vuong-mac-phap-ly"), text="Vướng thủ tục"
        )
        with travel(D(2026, 4, 7)):
            services.assignment_explain(actor=self.p.lead_officer, task=self.task, spec=spec)
        self.assertFalse(any("giải trình" in c for c in self.cells(D(2026, 4, 8))))
        with travel(D(2026, 4, 9)):
            services.explanation_return(actor=self.p.office, task=self.task, reason="Chưa rõ")
        self.assertTrue(any("đề nghị giải trình" in c for c in self.cells(D(2026, 4, 9))))


class UrgingLetterRequestTest(BaseTestCase):
    def test_it_asks_the_same_reply_in_the_docx_and_the_pdf(self) -> None:
        with travel(D(2026, 4, 24)):
            word = docx.Document(io.BytesIO(urging_letter(self.p.agency_a)))
            pdf, _signed = urging_letter_pdf(self.p.agency_a)
        asked = request_sentence(self.p.agency_a)
        self.assertIn("trong 05 ngày làm việc kể từ ngày nhận được văn bản này", asked)
        self.assertIn(asked, [p.text for p in word.paragraphs])
        printed = " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
        )
        self.assertIn(" ".join(asked.split()), printed)
