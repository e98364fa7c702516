"""The reader by class of text (issue: read directives it has never seen).

Every sentence here was written for this test, in the forms provincial letters and news items
use, and none is copied from the labelled corpus: a rule that only fits the corpus fails here.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from nhiemvu.extraction import Task, extract

CORPUS = Path(__file__).resolve().parent / "corpus"


def tasks(text: str, doc_date: dt.date | None = dt.date(2026, 3, 2)) -> list[Task]:
    return [t for t in extract(text, doc_date).tasks if t.confident]


def leads(task: Task) -> list[str]:
    return [a.text for a in task.lead]


# --- who is asked ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Phó Chủ tịch UBND tỉnh Trần Văn B đề nghị Sở Công Thương kiểm tra các cửa hàng xăng dầu.",
        "Tại buổi làm việc, đồng chí Chủ tịch đề nghị UBND huyện Phù Mỹ rà soát lại quỹ đất.",
        "Thủ tướng yêu cầu UBND tỉnh Quảng Trị khẩn trương khắc phục hậu quả mưa lũ.",
        "UBND thành phố yêu cầu giám đốc Sở Xây dựng kiểm tra an toàn các chung cư cũ.",
    ],
)
def test_a_named_leader_in_news_style_assigns(sentence: str) -> None:
    (task,) = tasks(sentence)
    assert task.lead, sentence


def test_a_request_to_the_front_or_an_association_binds_no_one() -> None:
    text = (
        "UBND tỉnh đề nghị Ủy ban MTTQ Việt Nam tỉnh và Hội Nông dân tỉnh tuyên truyền "
        "đến hội viên về chính sách mới."
    )
    found = extract(text, dt.date(2026, 3, 2)).tasks
    assert found and not any(t.confident for t in found)  # proposed, unticked


def test_a_request_to_the_issuers_own_agencies_is_an_assignment() -> None:
    (task,) = tasks("UBND tỉnh đề nghị các sở, ngành rà soát thủ tục hành chính trong tháng 4.")
    assert task.bound and task.deadline == dt.date(2026, 4, 30)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở KH-ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở TT-TT", "Sở Thông tin và Truyền thông"),
        # Written across spaces, commas or "&", and initials of bodies other than departments.
        ("Sở NN & PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp & PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("BHXH tỉnh", "Bảo hiểm xã hội tỉnh"),
        ("Trung tâm VHTT - TT huyện", "Trung tâm Văn hóa, Thông tin - Thể thao huyện"),
        ("UBND huyện Ia Grai", "UBND huyện Ia Grai"),
    ],
)
def test_abbreviated_agencies_are_named_in_full(written: str, name: str) -> None:
    # The proposal's lead, ticked or not: whether a one-line text is ticked is the model's call.
    (task,) = extract(f"Giao {written} chủ trì tổ chức hội nghị tổng kết năm 2025.").tasks
    assert leads(task) == [name]


def test_the_lead_stops_at_the_agency() -> None:
    (task,) = tasks("Giao Sở Tài chính xuất cấp kinh phí cho các huyện trước ngày 15/4/2026.")
    assert leads(task) == ["Sở Tài chính"]


def test_an_enumeration_keeps_every_group() -> None:
    (task,) = tasks(
        "Giao các sở, ban, ngành, các hội, đoàn thể; UBND các huyện, thị xã, thành phố "
        "tổ chức quán triệt Chỉ thị này đến cán bộ, công chức."
    )
    assert len(task.lead) == 3  # các sở, ban, ngành; các hội, đoàn thể; UBND các huyện …


def test_a_title_before_a_list_of_ministries_names_each_ministry() -> None:
    (task,) = tasks(
        "Thủ tướng giao Bộ trưởng các Bộ: Quốc phòng, Công an chỉ đạo lực lượng tại chỗ sẵn sàng "
        "cứu hộ, cứu nạn, báo cáo trước ngày 25/9/2026."
    )
    assert leads(task) == ["Bộ Quốc phòng", "Bộ Công an"]


def test_a_reference_to_agencies_named_before_is_read_as_them() -> None:
    # A cable's addressees, then "các tỉnh nêu trên": the provinces, not the ministries listed
    # after them; "các địa phương này": the agencies of the sentence before.
    cable = (
        "Công điện gửi Chủ tịch UBND các tỉnh: Quảng Trị, Thừa Thiên Huế; các Bộ: Quốc phòng, "
        "Công an.\nThủ tướng Chính phủ yêu cầu Chủ tịch UBND các tỉnh nêu trên sơ tán dân khỏi "
        "vùng nguy hiểm trước 17 giờ ngày 20/9/2026."
    )
    (task,) = tasks(cable)
    assert leads(task) == ["Ủy ban nhân dân tỉnh Quảng Trị", "Ủy ban nhân dân tỉnh Thừa Thiên Huế"]
    letter = (
        "Giao UBND huyện Phù Mỹ và UBND huyện Tây Sơn kiểm tra toàn bộ hệ thống đê điều trước "
        "mùa mưa lũ. Các địa phương này báo cáo kết quả về Sở Nông nghiệp và Môi trường trước "
        "ngày 20/10/2026."
    )
    first, second = tasks(letter)
    assert leads(first) == leads(second)
    assert leads(second) == ["UBND huyện Phù Mỹ", "UBND huyện Tây Sơn"]
    assert second.deadline == dt.date(2026, 10, 20) and second.deliverable == "báo cáo"
    # With nothing named before it, the reference stays as written for the office to resolve.
    (alone,) = tasks("Các đơn vị nêu trên rà soát danh sách hộ nghèo, báo cáo trước ngày 5/4/2026.")
    assert leads(alone) == ["Các đơn vị nêu trên"]


# --- where a task is ------------------------------------------------------------------------

# A whole letter in the Decree 30 layout, written for this test (not a real document).
FULL_LETTER = (Path(__file__).resolve().parent / "letter.txt").read_text(encoding="utf-8")


def test_a_full_letter_with_lettered_items_and_subjects_first() -> None:
    found = extract(FULL_LETTER).tasks
    ticked = [(leads(t), t.deadline) for t in found if t.confident]
    assert ticked == [
        (["Các chủ đầu tư"], None),
        (["Sở Tài chính"], dt.date(2026, 6, 30)),  # "2. Giao Sở Tài chính:" then a), b)
        (["Sở Tài chính"], dt.date(2026, 4, 30)),
        (["Sở Xây dựng", "Sở Nông nghiệp và Môi trường"], None),  # "theo chức năng, nhiệm vụ"
        (["UBND các xã, phường"], dt.date(2026, 9, 30)),
    ]
    assert found[0].recurrence == "monthly" and found[0].recurrence_day == 25
    assert found[1].coordinate[0].text.startswith("Kho bạc Nhà nước")
    # The Front is asked, not assigned; the closing formula assigns nothing.
    assert [leads(t) for t in found if not t.confident] == [
        ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]
    ]


def test_items_under_a_heading_belong_to_the_agencies_it_names() -> None:
    text = (
        "Chủ tịch UBND tỉnh giao các đơn vị triển khai một số nhiệm vụ sau:\n"
        "1. Sở Y tế (cơ quan thường trực):\n"
        "- Xây dựng kế hoạch phòng chống dịch bệnh mùa hè, trình UBND tỉnh trước ngày 10/4/2026.\n"
        "- Chịu trách nhiệm kiểm tra công tác phòng bệnh tại các trường học trên địa bàn.\n"
        "2. UBND các huyện, thị xã, thành phố:\n"
        "- Phân công cán bộ theo dõi tình hình dịch bệnh tại từng xã, phường, thị trấn.\n"
    )
    # Every item is proposed with its heading's agency; which of them are ticked is the learned
    # scorer's call (a dash item is often a plan's content the corpus does not label), not this
    # rule's: the test asserts who leads.
    found = extract(text, dt.date(2026, 3, 2)).tasks
    assert [leads(t) for t in found] == [
        ["Sở Y tế"],
        ["Sở Y tế"],
        ["UBND các huyện, thị xã, thành phố"],
    ]
    assert found[0].deadline == dt.date(2026, 4, 10)


def test_a_second_duty_in_the_same_sentence_is_its_own_task() -> None:
    found = tasks(
        "Giao Sở Công Thương báo cáo UBND tỉnh tình hình cung ứng điện trong tháng 5/2026; "
        "chủ trì, phối hợp với Điện lực tỉnh và UBND các huyện xây dựng phương án cấp điện mùa khô."
    )
    assert len(found) == 2
    assert found[1].coordinate[0].text.startswith("Điện lực")


def test_background_and_titles_are_not_tasks() -> None:
    text = (
        "Giao Sở Nội vụ kiện toàn bộ máy các phòng chuyên môn\n\n"
        "Ngày 3/3, UBND tỉnh vừa ban hành văn bản số 812/UBND-NC về việc giao Sở Nội vụ kiện "
        "toàn bộ máy các phòng chuyên môn.\n"
        "Theo đó, UBND tỉnh giao Sở Nội vụ hướng dẫn các huyện sắp xếp phòng chuyên môn, báo cáo "
        "UBND tỉnh trước ngày 30/4/2026."
    )
    found = tasks(text)
    assert len(found) == 1 and found[0].deadline == dt.date(2026, 4, 30)


def test_a_nested_duty_to_report_difficulties_is_its_own_task() -> None:
    found = tasks(
        "UBND tỉnh yêu cầu các huyện đẩy nhanh giải phóng mặt bằng; trong quá trình thực hiện "
        "nếu có vướng mắc, kịp thời báo cáo UBND tỉnh xem xét; chủ động bố trí tái định cư."
    )
    assert len(found) == 2
    assert found[0].deliverable is None  # the report belongs to the nested duty
    assert found[1].deliverable == "báo cáo"


def test_the_closing_formula_and_decisions_are_not_tasks() -> None:
    text = (
        "Giao Sở Nội vụ rà soát biên chế, báo cáo UBND tỉnh trước ngày 15/4/2026.\n"
        "Đồng ý chủ trương cho Sở Y tế tổ chức hội nghị chuyên đề.\n"
        "UBND tỉnh đã có Công văn số 12/UBND-VX giao Sở Y tế chuẩn bị nội dung.\n"
        "Yêu cầu Thủ trưởng các sở, ban, ngành khẩn trương triển khai thực hiện; trong quá trình "
        "thực hiện nếu có khó khăn, vướng mắc kịp thời báo cáo UBND tỉnh để xem xét, giải quyết./."
    )
    found = extract(text, dt.date(2026, 3, 2)).tasks
    assert [leads(t) for t in found if t.confident] == [["Sở Nội vụ"]]
    # The decision may still be read as work by the office: proposed, unticked, and said why.
    assert [t.warnings for t in found if not t.confident] == [["decision"]]


def test_a_deadline_in_the_next_sentence_belongs_to_the_task_before() -> None:
    (task,) = tasks(
        "Giao Sở Kế hoạch và Đầu tư rà soát các dự án chậm tiến độ, báo cáo kết quả. "
        "Trình UBND tỉnh trước ngày 20/4/2026."
    )
    assert task.deadline == dt.date(2026, 4, 20)


# --- deadlines and rhythms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("trong tháng 11, tháng 12 năm 2026", dt.date(2026, 12, 31)),
        ("từ nay đến cuối năm 2026", dt.date(2026, 12, 31)),
        ("trước ngày 05/5/2026", dt.date(2026, 5, 5)),
    ],
)
def test_deadline_phrases(phrase: str, expected: dt.date) -> None:
    (task,) = tasks(f"Giao Sở Tài chính hoàn thành việc quyết toán kinh phí {phrase}.")
    assert task.deadline == expected


def test_a_date_without_year_in_an_undated_text_is_left_for_the_office() -> None:
    (task,) = tasks("Giao Sở Xây dựng báo cáo UBND tỉnh trước ngày 15-12.", doc_date=None)
    assert task.deadline is None and "deadline_year_unknown" in task.warnings


@pytest.mark.parametrize(
    ("phrase", "kind", "day"),
    [
        ("định kỳ hằng tháng, trước ngày 20", "monthly", 20),
        ("hằng quý, chậm nhất ngày 15", "quarterly", 15),
        ("định kỳ 6 tháng, hằng năm", "other", None),
        ("cứ 15 ngày", "other", None),
    ],
)
def test_a_recurring_report_keeps_its_day(phrase: str, kind: str, day: int | None) -> None:
    (task,) = tasks(f"Giao Sở Tài chính {phrase} báo cáo UBND tỉnh tình hình giải ngân.")
    shown = "other" if task.recurrence == "half_yearly" else task.recurrence
    assert (shown, task.recurrence_day, task.deadline) == (kind, day, None)


# --- work products --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "duty",
    [
        "tham mưu UBND tỉnh ban hành Quy chế phối hợp quản lý cụm công nghiệp",
        "xây dựng chương trình hành động thực hiện Nghị quyết",
        "lập danh sách các hộ dân cần hỗ trợ",
        "nghiên cứu, đề xuất cơ chế hỗ trợ doanh nghiệp nhỏ",
        "phê duyệt kế hoạch diễn tập phòng thủ",
        # The verb of making a step away from its product.
        "xây dựng, triển khai kế hoạch cao điểm bảo đảm trật tự đô thị",
        "rà soát, hoàn thiện kịch bản, phương án sơ tán dân vùng trũng",
        "chủ động phương án bảo đảm điện cho các trạm bơm tiêu úng",
        # A plan completed, switched on or held ready is still the product asked for.
        "rà soát, bổ sung phương án chống hạn cho vùng cây ăn quả",
        "theo dõi mưa lũ, sẵn sàng phương án sơ tán học sinh khỏi điểm trường ven suối",
        "xây dựng và kích hoạt các phương án cấp nước sạch cho khu tái định cư",
        "khẩn trương hoàn thành đề án sáp nhập các trường tiểu học",
        "điều chỉnh kế hoạch tiêm chủng cho trẻ ở các bản vùng cao",
        "xây dựng kịch bản điều tiết giao thông dịp lễ hội đầu xuân",
    ],
)
def test_a_work_product_without_deadline_is_flagged(duty: str) -> None:
    (task,) = tasks(f"Giao Sở Nội vụ {duty}.")
    assert task.deliverable, duty
    assert "deliverable_without_deadline" in task.warnings, duty


def test_carrying_out_an_existing_plan_is_no_work_product() -> None:
    (task,) = tasks("Giao Sở Nội vụ tổ chức thực hiện theo kế hoạch đã được phê duyệt.")
    assert task.deliverable is None
    assert "deliverable_without_deadline" not in task.warnings


# --- on the labelled texts ------------------------------------------------------------------


def test_the_texts_it_was_not_written_on_meet_the_bar() -> None:
    """dev2.jsonl (20 texts, 33 tasks): F1 was 0.63 before the rules were generalised; the
    goal for unseen texts is F1 ≥ 0.85, lead ≥ 0.85, deadline ≥ 0.90, flag recall ≥ 0.85, and
    ≥ 0.92 F1 on dev + dev2 together. (dev2 has since been read while writing the classes
    above, so this guards against regressions; unseen texts are measured outside.)"""
    from nhiemvu.extraction.__main__ import predict
    from nhiemvu.extraction.scoring import score

    records = []
    for name in ("dev.jsonl", "dev2.jsonl"):
        with (CORPUS / name).open(encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    both = score(records, {r["id"]: predict(r) for r in records}).summary()
    second = [r for r in records if r["id"].startswith("n")]
    dev2 = score(second, {r["id"]: predict(r) for r in second}).summary()
    assert both["f1"] >= 0.92, both
    assert dev2["f1"] >= 0.85 and dev2["lead"] >= 0.85, dev2
    assert dev2["deadline"] >= 0.90 and dev2["flag_recall"] >= 0.85, dev2


# --- two-level local government (from 1/7/2025) ------------------------------------------------

TWO_LEVEL_DIRECTORY: list[dict[str, Any]] = [
    {"code": "so-tc", "name": "Sở Tài chính", "kind": "department"},
    {"code": "bql", "name": "Ban Quản lý Khu kinh tế tỉnh", "kind": "department"},
    {
        "code": "p-a",
        "name": "UBND phường An Bình",
        "kind": "ward",
        "valid_from": dt.date(2025, 7, 1),
    },
    {
        "code": "x-b",
        "name": "UBND xã Bình Phú",
        "kind": "commune",
        "valid_from": dt.date(2025, 7, 1),
    },
    {
        "code": "dk",
        "name": "UBND đặc khu Hòn Đỏ",
        "kind": "special_zone",
        "valid_from": dt.date(2025, 7, 1),
    },
    {"code": "h-c", "name": "UBND huyện Cũ", "kind": "district", "valid_to": dt.date(2025, 6, 30)},
]


def resolved(task: Task) -> set[str]:
    return {o["code"] for a in task.lead for o in a.resolved}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Chủ tịch UBND tỉnh yêu cầu Chủ tịch UBND các xã, phường, đặc khu rà soát, báo cáo "
            "kết quả trước ngày 30/9/2026.",
            {"p-a", "x-b", "dk"},
        ),
        (
            "Giao Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân các "
            "xã, phường tổ chức thực hiện, báo cáo trước ngày 15/10/2026.",
            {"so-tc", "bql", "p-a", "x-b", "dk"},
        ),
        (
            "Yêu cầu Chủ tịch Ủy ban nhân dân các phường, xã kiểm tra, báo cáo trước ngày "
            "10/10/2026.",
            {"p-a", "x-b", "dk"},
        ),
        (
            "Giao UBND cấp xã chủ trì triển khai, hoàn thành trong tháng 10/2026.",
            {"p-a", "x-b", "dk"},
        ),
        # "Các địa phương" in 2026: today's communes and wards, not the districts that ended.
        (
            "Các địa phương khẩn trương triển khai, báo cáo trước ngày 20/10/2026.",
            {"p-a", "x-b", "dk"},
        ),
    ],
)
def test_the_addressees_of_the_two_level_government(sentence: str, expected: set[str]) -> None:
    found = [t for t in extract(sentence, dt.date(2026, 9, 1), TWO_LEVEL_DIRECTORY).tasks]
    assert found and found[0].confident
    assert resolved(found[0]) >= expected
    assert "h-c" not in resolved(found[0])


def test_a_letter_of_2022_to_the_localities_means_the_districts() -> None:
    found = extract(
        "Các địa phương khẩn trương triển khai, báo cáo trước ngày 20/3/2022.",
        dt.date(2022, 3, 8),
        TWO_LEVEL_DIRECTORY,
    ).tasks
    assert resolved(found[0]) == {"h-c"}


def test_the_government_s_group_of_agencies_is_read_whole() -> None:
    (task,) = tasks(
        "Yêu cầu các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ rà soát thủ tục hành chính "
        "nội bộ, báo cáo Thủ tướng Chính phủ trước ngày 15/4/2026."
    )
    assert leads(task) == ["các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"]
    assert task.action.startswith("rà soát") or "ngang bộ" not in task.action


# --- what is no assignment (issue 26: decision boilerplate, background, "giao thông") --------


def test_giao_in_a_name_or_a_compound_assigns_nothing() -> None:
    from nhiemvu.extraction.patterns import TRIGGER

    for words in (
        "Sở Giao thông vận tải phối hợp",
        "bảo đảm an toàn giao thông",
        "bàn giao mặt bằng",
    ):
        assert TRIGGER.search(words) is None, words
    assert TRIGGER.search("UBND tỉnh giao Sở Xây dựng kiểm tra")


def test_an_agency_named_for_road_safety_is_read_whole() -> None:
    (task,) = tasks(
        "UBND tỉnh yêu cầu Ban An toàn giao thông tỉnh, Công an tỉnh tăng cường kiểm tra tải "
        "trọng xe trên các tuyến quốc lộ."
    )
    assert leads(task) == ["Ban An toàn giao thông tỉnh", "Công an tỉnh"]


def test_a_decisions_closing_articles_are_not_tasks() -> None:
    text = (
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp quản lý cụm công nghiệp.\n"
        "Điều 2. Giao Sở Công Thương hướng dẫn các xã, phường triển khai Quy chế, báo cáo UBND "
        "tỉnh trước ngày 30/6/2026.\n"
        "Quyết định này có hiệu lực kể từ ngày ký.\n"
        "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, ban, ngành; Chủ tịch UBND các xã, "
        "phường và các đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./."
    )
    assert [leads(t) for t in extract(text, dt.date(2026, 3, 2)).tasks] == [["Sở Công Thương"]]


def test_background_told_as_such_is_no_task() -> None:
    text = (
        "Trước đó, Bộ Tài chính đã gửi công văn yêu cầu các địa phương báo cáo số liệu nợ đọng "
        "trước ngày 10/3/2026.\n"
        "Bộ Tài chính yêu cầu UBND các tỉnh chưa gửi khẩn trương gửi báo cáo trước ngày "
        "20/3/2026."
    )
    found = extract(text, dt.date(2026, 3, 12)).tasks
    assert [t.deadline for t in found] == [dt.date(2026, 3, 20)]


def test_a_relays_summary_is_unticked_when_the_body_follows() -> None:
    summary = (
        "Chủ tịch UBND tỉnh vừa ký Công điện yêu cầu các sở, ngành, địa phương tập trung ứng "
        "phó với đợt mưa lớn.\n"
    )
    body = (
        "Theo đó, Chủ tịch UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường theo dõi chặt chẽ "
        "diễn biến mưa lũ, báo cáo UBND tỉnh trước ngày 20/3/2026.\n"
    )
    found = extract(summary + body, dt.date(2026, 3, 2)).tasks
    assert [leads(t) for t in found if t.confident] == [["Sở Nông nghiệp và Môi trường"]]
    # The office may still want it: proposed, unticked.
    assert [leads(t) for t in found if not t.confident] == [["các sở, ngành, địa phương"]]
    # Alone, the summary is all the text says: it is read.
    assert [leads(t) for t in tasks(summary)] == [["các sở, ngành, địa phương"]]


def test_a_relays_summary_the_body_does_not_restate_is_the_task() -> None:
    # The body only tells the background: the document's duty is the summary's, ticked even
    # though the model alone gives such a sentence little.
    text = (
        "Chủ tịch UBND tỉnh vừa ký Công điện số 12/CĐ-UBND chỉ đạo các sở, ngành, địa phương "
        "tập trung khắc phục hậu quả đợt mưa đá.\n"
        "Đợt mưa đá đêm 1/3 đã làm hư hỏng hơn 200 ngôi nhà và nhiều diện tích hoa màu.\n"
        "Nhiều hộ dân vẫn chưa có nơi ở ổn định.\n"
    )
    assert [leads(t) for t in tasks(text)] == [["các sở, ngành, địa phương"]]


def test_an_opening_weighs_less_when_the_body_after_it_has_tasks() -> None:
    # The second stage: the same opening, followed by the body's duties or by background only.
    opening = (
        "Bộ Công Thương yêu cầu các địa phương bảo đảm nguồn cung hàng hóa thiết yếu dịp Tết.\n"
        "Theo Bộ Công Thương, sức mua dịp Tết năm nay dự kiến tăng 10%.\n"
    )
    duties = (
        "Bộ Công Thương yêu cầu Sở Công Thương các tỉnh, thành phố theo dõi sát diễn biến thị "
        "trường, chủ động phối hợp với doanh nghiệp dự trữ hàng hóa và kiểm soát giá.\n"
        "Các địa phương cần tăng cường kiểm tra, xử lý nghiêm hành vi đầu cơ, găm hàng.\n"
    )
    background = (
        "Năm ngoái, doanh thu bán lẻ dịp Tết tăng 12% so với cùng kỳ.\n"
        "Nhiều siêu thị đã lên kế hoạch mở cửa xuyên Tết.\n"
    )
    followed = extract(opening + duties, dt.date(2026, 3, 2)).tasks[0]
    alone = extract(opening + background, dt.date(2026, 3, 2)).tasks[0]
    assert followed.evidence == alone.evidence and followed.evidence.startswith("Bộ Công Thương")
    assert followed.score is not None and alone.score is not None
    assert followed.score + 0.1 < alone.score


def test_a_relays_summary_the_body_restates_gives_the_body_task_once() -> None:
    text = (
        "Phó Thủ tướng vừa ký Công điện yêu cầu các bộ, ngành, địa phương tập trung ứng phó "
        "với đợt rét đậm, rét hại.\n"
        "Theo dự báo, đợt rét kéo dài đến hết tuần sau.\n"
        "Thủ tướng yêu cầu UBND các tỉnh miền núi phía Bắc chỉ đạo che chắn chuồng trại, bảo vệ "
        "đàn gia súc và hướng dẫn người dân giữ ấm cho trẻ em, người cao tuổi.\n"
    )
    found = extract(text, dt.date(2026, 3, 2)).tasks
    body = [t for t in found if t.evidence.startswith("Thủ tướng yêu cầu UBND các tỉnh miền núi")]
    assert len(body) == 1 and body[0].confident
    # Whether the summary is ticked as well is the model's call (the corpus labels a summary
    # only when the body does not restate it, and a few labelled summaries do restate): it weighs
    # less than the body's duty, and less than with background alone after it (the test above).
    (summary,) = [t for t in found if t.evidence.startswith("Phó Thủ tướng vừa ký")]
    assert (summary.score or 0) < (body[0].score or 0)


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        (
            "Giao lực lượng công an xã tăng cường tuần tra, kiểm soát địa bàn dân cư.",
            "lực lượng công an xã",
        ),
        (
            "UBND tỉnh yêu cầu cấp ủy, chính quyền địa phương tập trung chỉ đạo khắc phục hậu quả.",
            "cấp ủy, chính quyền địa phương",
        ),
        (
            "Giao Tổ công tác liên ngành kiểm tra việc phòng cháy tại các chợ đầu mối.",
            "Tổ công tác liên ngành",
        ),
        (
            "Yêu cầu công an các đơn vị, địa phương tăng cường tuần tra trong dịp Tết.",
            "công an các đơn vị, địa phương",
        ),
        ("Giao Công an tỉnh chủ trì kiểm tra phòng cháy tại các chợ.", "Công an tỉnh"),
        (
            "Giao Đoàn kiểm tra làm việc với UBND các xã về tiến độ giải ngân vốn đầu tư công.",
            "Đoàn kiểm tra",
        ),
        (
            "Thủ tướng yêu cầu các tỉnh, thành phố ven biển sơ tán người dân khỏi vùng nguy hiểm.",
            "các tỉnh, thành phố ven biển",
        ),
    ],
)
def test_bodies_named_by_their_function_lead(sentence: str, lead: str) -> None:
    # No proper name: a force, the Party committees and the authorities, a working group or an
    # inspection team, the provinces as a group. Each is the lead, read whole.
    (task,) = tasks(sentence)
    assert leads(task) == [lead]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Thủ tướng yêu cầu các bộ, ngành Trung ương, địa phương đẩy nhanh giải ngân.",
            ["các bộ, ngành Trung ương", "địa phương"],
        ),
        (
            "Giao UBND các huyện, thị xã, thành phố và đơn vị liên quan rà soát lúa bị hạn.",
            ["UBND các huyện, thị xã, thành phố", "đơn vị liên quan"],
        ),
    ],
)
def test_a_group_whose_cac_is_left_out_still_leads(sentence: str, expected: list[str]) -> None:
    # In a list of groups the later ones often drop "các": each is still one of the leads.
    (task,) = tasks(sentence)
    assert leads(task) == expected


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        (
            "Thủ tướng yêu cầu các tỉnh ven biển từ Quảng Ninh đến Quảng Ngãi cấm biển từ 12 giờ.",
            "các tỉnh ven biển từ Quảng Ninh đến Quảng Ngãi",
        ),
        (
            "Đề nghị UBND các tỉnh, thành phố khu vực Trung Bộ, Tây Nguyên chỉ đạo sơ tán dân.",
            "UBND các tỉnh, thành phố khu vực Trung Bộ, Tây Nguyên",
        ),
    ],
)
def test_localities_bounded_by_where_they_are_lead_whole(sentence: str, lead: str) -> None:
    # The places bound the group: the lead is those provinces, not every province.
    (task,) = tasks(sentence)
    assert leads(task) == [lead]


def test_ministers_named_after_a_colon_then_more_agencies_are_asked() -> None:
    # "Bộ trưởng các Bộ: A, B; Bí thư, Chủ tịch UBND các tỉnh … <work>": the names after the
    # colon are whom the order asks, and the work follows the second list, past the ";".
    text = (
        "Thủ tướng yêu cầu Bộ trưởng các Bộ: Tài chính, Y tế, Xây dựng; Bí thư, Chủ tịch UBND các "
        "tỉnh miền núi phía Bắc theo chức năng, nhiệm vụ được giao khẩn trương kiểm tra các công "
        "trình trường học, trạm y tế xuống cấp, báo cáo kết quả trước ngày 30/4/2026."
    )
    (task,) = tasks(text)
    assert {"Bộ Tài chính", "Bộ Y tế", "Bộ Xây dựng"} <= set(leads(task))
    assert task.deadline == dt.date(2026, 4, 30)


def test_a_paragraph_the_page_repeats_is_proposed_once() -> None:
    # A news page shows its lead paragraph again under the photo: one task, not two.
    duty = (
        "UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường kiểm tra toàn bộ đê bao vùng trũng "
        "trước mùa mưa lũ năm nay."
    )
    text = f"{duty}\n\nẢnh minh họa\n\n{duty}\n\nTheo báo cáo, nhiều đoạn đê đã xuống cấp."
    proposed = [t for t in extract(text, dt.date(2026, 3, 2)).tasks]
    assert len(proposed) == 1
    assert leads(proposed[0]) == ["Sở Nông nghiệp và Môi trường"]


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        (
            "Tại buổi làm việc, lãnh đạo Sở Y tế báo cáo tình hình dịch sốt xuất huyết.\n\n"
            "Trước 17 giờ hằng ngày, các xã, phường phải báo cáo số ca mắc mới về Sở Y tế.",
            "các xã, phường",
        ),
        (
            "Hội nghị đã nghe báo cáo kết quả công tác quý I.\n\n"
            "Các đơn vị phải chịu trách nhiệm cập nhật số liệu lên hệ thống trước ngày 10 hằng "
            "tháng.",
            "Các đơn vị",
        ),
    ],
)
def test_a_subject_first_duty_after_a_news_opening_is_proposed(text: str, lead: str) -> None:
    # No assigning verb: whoever "phải" follows is asked, even behind a time phrase; the
    # opening sentence told as news is no task.
    (task,) = tasks(text)
    assert leads(task) == [lead]


def test_an_option_advised_on_is_a_work_product_asked_without_a_date() -> None:
    # "tham mưu phương án …": the advice is an option put to the committee (both such tasks of
    # the corpus are labelled with it), and with no date the founding letter's flag is raised.
    (task,) = extract(
        "UBND tỉnh giao Sở Tài chính rà soát, tham mưu phương án sắp xếp trụ sở các phường."
    ).tasks
    assert task.deliverable == "phương án"
    assert "deliverable_without_deadline" in task.warnings
