"""Learning from the province (issue 26 item 4): what the office registers through the review
screen is kept as a labelled example, `manage.py reader train` learns from it, and the review
screen names the model that proposed."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from nhiemvu.directives.models import Directive, ReaderExample
from nhiemvu.directives.tests import test_import as importing
from nhiemvu.extraction import learning
from nhiemvu.extraction.model import from_dict, stored
from nhiemvu.orgs.models import OrgAlias
from nhiemvu.test import BaseTestCase, make_org

CORPUS = Path(__file__).resolve().parents[2] / "extraction" / "tests" / "corpus"


URL = importing.URL
founding_letter = importing.founding_letter


class ReaderLearningTest(BaseTestCase):
    def read(self, **data: object) -> Any:
        self.login(self.p.office)
        return self.client.post(URL, {"step": "read", **data})

    def form_data(self, response: Any) -> dict[str, object]:
        """What the browser would send back (the import tests' reading of the form)."""
        return importing.ImportTest.form_data(cast(Any, self), response)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_org("so-tttt", "Sở Thông tin và Truyền thông")
        OrgAlias.objects.create(org=cls.p.wg_org, alias="Tổ công tác của Chủ tịch UBND tỉnh")

    def register_founding_letter(self) -> Directive:
        response = self.read(text=founding_letter(), doc_date="2022-03-08")
        data = self.form_data(response)
        # The office drops a proposal that is not the iDesk one, and edits the iDesk one.
        dropped = next(n for n in range(5) if "iDesk" not in str(data[f"task-{n}-content"]))
        del data[f"task-{dropped}-keep"]
        edited = next(n for n in range(5) if "iDesk" in str(data[f"task-{n}-content"]))
        data[f"task-{edited}-summary"] = "Triển khai iDesk (sửa)"
        self.client.post(URL, data)
        return Directive.objects.get(number=1147, year=2022)

    def test_the_review_screen_names_the_model_that_proposed(self) -> None:
        model = stored()
        assert model is not None
        response = self.read(text=founding_letter(), doc_date="2022-03-08")
        shown = re.search(r'id="reader-model">([^<]*)<', response.content.decode())
        assert shown is not None and model.version in shown.group(1)

    def test_a_registered_directive_is_kept_as_a_labelled_example(self) -> None:
        directive = self.register_founding_letter()
        example = ReaderExample.objects.get(directive=directive)
        record = example.record
        assert record["text"] == directive.text and record["doc_date"] == "2022-03-08"
        assert len(example.proposed) == 5  # what the reader had proposed, dropped one included
        assert len(record["tasks"]) == 4  # what the office registered
        assert all(t["evidence"] in record["text"] for t in record["tasks"])
        assert any("sửa" in t["action"] for t in record["tasks"])
        idesk = next(t for t in record["tasks"] if "iDesk" in t["evidence"])
        assert idesk["assignees_lead"] == ["Sở Thông tin và Truyền thông"]
        assert idesk["deadline"] == "2022-03-31"
        model = stored()
        assert model is not None and example.model_version == model.version
        # The record is one the reader's learning reads as it reads the corpus.
        assert learning.examples(record)

    def test_reader_train_learns_from_the_province_and_writes_where_the_app_reads(self) -> None:
        self.register_founding_letter()
        with tempfile.TemporaryDirectory() as folder:
            corpus = Path(folder) / "corpus"
            corpus.mkdir()
            lines = (CORPUS / "dev2.jsonl").read_text(encoding="utf-8").splitlines()[:4]
            (corpus / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            target = Path(folder) / "model.json"
            with override_settings(NHIEMVU={**settings.NHIEMVU, "READER_MODEL": str(target)}):
                out = io.StringIO()
                call_command("reader", "train", "--corpus", str(corpus), "--folds", "2", stdout=out)
                written = from_dict(json.loads(target.read_text(encoding="utf-8")))
                assert written.trained_on["texts"] == 5  # four corpus texts and the province's
                table = out.getvalue()
                assert "the province's examples 1 texts" in table
                assert "all texts: before" in table and "all texts: after" in table
                assert f"model {written.version}" in table
                # The review screen now proposes with, and names, the retrained model.
                response = self.read(text=founding_letter(), doc_date="2022-03-08")
                self.assertContains(response, written.version)


class SentenceToTaskTest(BaseTestCase):
    """A missed task costs one action: the selected sentence comes back as a proposal's fields."""

    SENTENCE_URL = "/van-ban/nhap/cau/"

    def test_a_selected_sentence_comes_back_with_the_fields_the_reader_can_fill(self) -> None:
        self.login(self.p.office)
        sentence = "Sở Tài chính cần rà soát kinh phí,\n báo cáo UBND tỉnh trước ngày 30/4/2026."
        response = self.client.post(
            self.SENTENCE_URL, {"sentence": sentence, "doc_date": "2026-03-02"}
        )
        assert response.status_code == 200
        data = response.json()
        assert data["content"] == " ".join(sentence.split())
        assert data["deadline"] == "2026-04-30"
        assert data["leads"] == [self.p.agency_b.code]  # Sở Tài chính
        assert data["deliverable_kind"]

    def test_only_the_office_and_only_a_sentence(self) -> None:
        self.login(self.p.lead_officer)
        refused = self.client.post(self.SENTENCE_URL, {"sentence": "Giao Sở Tài chính rà soát."})
        assert refused.status_code == 403
        self.login(self.p.office)
        empty = self.client.post(self.SENTENCE_URL, {"sentence": "  "})
        assert (
            empty.status_code == 400 and empty.json()["error"] == "Hãy chọn một câu trong văn bản."
        )

    def test_the_review_screen_offers_it_without_inline_script(self) -> None:
        self.login(self.p.office)
        response = self.client.post(URL, {"step": "read", "text": founding_letter()})
        html = response.content.decode()
        assert 'data-sentence-url="/van-ban/nhap/cau/"' in html
        assert re.search(r'<script src="[^"]*js/sentence\.js"', html)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # CSP: no inline script
