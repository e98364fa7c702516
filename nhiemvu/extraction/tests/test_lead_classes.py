"""Who leads, by class of sentence: the names the reader proposes are the agencies' names as
the directory (and the province's scorer) writes them, whole. Every sentence is written for
this test, in the forms letters and news use; none is copied from the labelled corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from nhiemvu.extraction import Task, extract, referents
from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction import leads as leads_module
from nhiemvu.extraction.asked import lead_of
from nhiemvu.extraction.candidates import Candidate
from nhiemvu.extraction.drafts import Draft
from nhiemvu.extraction.header import Header


def tasks(text: str) -> list[Task]:
    return [t for t in extract(text, dt.date(2026, 3, 2)).tasks if t.confident]


def leads(task: Task) -> list[str]:
    return [a.text for a in task.lead]


def test_a_long_name_runs_to_its_end_through_kiem_and_its_comma() -> None:
    (task,) = tasks(
        "Chủ tịch UBND huyện yêu cầu Ban Chỉ huy PCTT và TKCN kiêm Ban Chỉ huy PTDS huyện "
        "khẩn trương kiểm tra các hồ chứa nước."
    )
    assert leads(task) == [
        "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn kiêm Ban Chỉ huy Phòng thủ dân "
        "sự huyện"
    ]
    (task,) = tasks(
        "UBND tỉnh giao Bộ Chỉ huy Quân sự tỉnh, Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm "
        "cứu nạn tỉnh chuẩn bị lực lượng, phương tiện cứu hộ."
    )
    assert leads(task) == [
        "Bộ Chỉ huy Quân sự tỉnh",
        "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn tỉnh",
    ]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "UBND huyện giao UBND xã Tân Lập giúp Thường trực Huyện ủy tổ chức hội nghị.",
            "UBND xã Tân Lập",
        ),
        (
            "UBND tỉnh giao Sở GD-ĐT TP HCM phối hợp tổ chức kỳ thi.",
            "Sở Giáo dục và Đào tạo TP Hồ Chí Minh",
        ),
    ],
)
def test_a_name_ends_where_a_lower_case_word_follows_its_place(sentence: str, named: str) -> None:
    (task,) = tasks(sentence)
    assert leads(task) == [named]


def test_the_whole_address_list_leads_titles_and_project_boards_included() -> None:
    (task,) = tasks(
        "Chủ tịch UBND tỉnh yêu cầu Giám đốc, Thủ trưởng các sở, ban, ngành và Chủ tịch UBND các "
        "huyện, thị xã, các Ban Quản lý dự án chuyên ngành, khu vực, các nhà thầu khẩn trương "
        "đẩy nhanh tiến độ giải ngân."
    )
    assert leads(task) == [
        "các sở, ban, ngành",
        "UBND các huyện, thị xã",
        "các Ban Quản lý dự án chuyên ngành, khu vực",
        "các nhà thầu",
    ]


def test_localities_listed_after_a_colon_are_each_their_committee() -> None:
    (task,) = tasks(
        "UBND thành phố giao UBND các quận: Hải Châu, Sơn Trà, Liên Chiểu chỉ đạo lực lượng "
        "chức năng kiểm tra vỉa hè."
    )
    assert leads(task) == [
        "Ủy ban nhân dân quận Hải Châu",
        "Ủy ban nhân dân quận Sơn Trà",
        "Ủy ban nhân dân quận Liên Chiểu",
    ]


def test_a_request_to_the_front_with_the_issuers_own_agencies_assigns_them() -> None:
    (task,) = tasks(
        "UBND tỉnh đề nghị Ủy ban MTTQ Việt Nam tỉnh, các sở, ngành và UBND các xã tuyên truyền "
        "chính sách mới đến người dân."
    )
    assert leads(task) == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các sở, ngành", "UBND các xã"]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "Chủ tịch UBND xã yêu cầu các thành viên Ban chỉ đạo phân công theo dõi việc niêm yết.",
            ["Ban chỉ đạo"],
        ),
        # (Not "… chỉ đạo các địa phương kiểm tra …": whom "chỉ đạo" names leads in the corpus
        # — "Thủ tướng chỉ đạo Bộ trưởng Công Thương theo dõi …" — and the chooser learnt so.)
        ("Tỉnh ủy, UBND tỉnh khẩn trương kiểm tra đê điều.", ["Tỉnh ủy", "UBND tỉnh"]),
    ],
)
def test_party_committees_and_a_board_in_lower_case_are_agencies(
    sentence: str, named: list[str]
) -> None:
    (task,) = tasks(sentence)
    assert leads(task) == named


def test_a_bare_cac_dia_phuong_stays_as_written_even_after_localities_were_named() -> None:
    # The labelling rules keep a group as written ("các sở, ban, ngành"); only a reference
    # ("các địa phương này", "nêu trên") is resolved to what it refers to.
    first, second = tasks(
        "UBND tỉnh yêu cầu UBND các xã, phường khu vực miền núi rà soát các điểm sạt lở.\n"
        "Các địa phương khẩn trương di dời các hộ dân ở vùng nguy hiểm, báo cáo trước ngày "
        "10/3/2026."
    )
    assert leads(first) == ["UBND các xã, phường"]
    assert leads(second) == ["Các địa phương"]
    (alone,) = tasks("Các địa phương khẩn trương di dời các hộ dân ở vùng nguy hiểm.")
    assert leads(alone) == ["Các địa phương"]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "Chủ tịch UBND huyện yêu cầu Thủ trưởng các phòng, ban, đơn vị trên địa bàn huyện, "
            "Chủ tịch UBND các xã và các đơn vị liên quan khác kiểm tra các điểm ngập sâu.",
            [
                "các phòng, ban, đơn vị trên địa bàn huyện",
                "UBND các xã",
                "các đơn vị liên quan khác",
            ],
        ),
        (
            "Thủ tướng yêu cầu các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan "
            "thuộc Chính phủ rà soát các thủ tục hành chính.",
            ["các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"],
        ),
        (
            "Bộ Xây dựng yêu cầu các chủ đầu tư, nhà thầu, cơ quan quản lý nhà nước kiểm tra chất "
            "lượng công trình.",
            ["các chủ đầu tư, nhà thầu, cơ quan quản lý nhà nước"],
        ),
    ],
)
def test_an_address_list_keeps_its_qualifiers_and_all_its_groups(
    sentence: str, named: list[str]
) -> None:
    (task,) = tasks(sentence)
    assert leads(task) == named


def test_a_named_body_in_each_locality_is_one_agency() -> None:
    (task,) = tasks(
        "Sở Giáo dục và Đào tạo đề nghị các phòng Giáo dục và Đào tạo các huyện, các đơn vị "
        "trực thuộc sở cho học sinh nghỉ học đến hết ngày 12/3/2026."
    )
    assert leads(task) == ["các phòng Giáo dục và Đào tạo các huyện", "các đơn vị trực thuộc sở"]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "UBND tỉnh yêu cầu Ban Chỉ huy phòng chống thiên tai - Tìm kiếm cứu nạn và phòng thủ "
            "dân sự, các sở, ngành và địa phương tổ chức trực ban 24/24 giờ.",
            [
                "Ban Chỉ huy phòng chống thiên tai - Tìm kiếm cứu nạn và phòng thủ dân sự",
                "các sở, ngành và địa phương",
            ],
        ),
        (
            "UBND thành phố giao Công an thành phố, UBND các Quận 3, Quận 7 và Sở Xây dựng tổ chức "
            "lại giao thông quanh công trường.",
            ["Công an thành phố", "UBND các Quận 3, Quận 7", "Sở Xây dựng"],
        ),
    ],
)
def test_a_list_goes_on_past_a_defence_board_and_numbered_districts(
    sentence: str, named: list[str]
) -> None:
    (task,) = tasks(sentence)
    assert leads(task) == named


def test_the_one_asking_is_not_the_one_asked() -> None:
    # "X cũng yêu cầu <work>" names no addressee: the agencies asked before lead, not X.
    *_, last = tasks(
        "Sáng 2/3, Ban Chỉ huy Phòng thủ dân sự tỉnh họp bàn công tác ứng phó bão số 3. Ban "
        "Chỉ huy yêu cầu các sở, ngành, địa phương theo dõi sát diễn biến của bão. Ban Chỉ huy "
        "cũng yêu cầu thông báo kịp thời đến các chủ tàu thuyền về vị trí, hướng di chuyển của "
        "bão để chủ động phòng tránh."
    )
    assert "thông báo kịp thời" in last.evidence
    assert leads(last) == ["các sở, ngành, địa phương"]


@pytest.mark.parametrize(
    ("opening", "named"),
    [
        (
            "Bộ Tài chính vừa có văn bản gửi UBND các tỉnh, thành phố đề nghị rà soát, báo cáo số "
            "liệu nợ đọng xây dựng cơ bản của các dự án đầu tư công.",
            ["UBND các tỉnh, thành phố"],
        ),
        (
            "Cục Quản lý Dược vừa có công văn gửi Sở Y tế, Bảo hiểm xã hội tỉnh đề nghị kiểm tra "
            "việc cung ứng thuốc tại các bệnh viện tuyến huyện.",
            ["Sở Y tế", "Bảo hiểm xã hội tỉnh"],
        ),
    ],
)
def test_a_relayed_document_asks_whom_it_is_sent_to(opening: str, named: list[str]) -> None:
    # The sender and the first addressee come before the asking verb; the whole list is asked.
    text = opening + "\nTheo số liệu năm 2025, nhiều dự án vẫn chưa được quyết toán.\n"
    (task,) = tasks(text)
    assert leads(task) == named


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "Phó Chủ tịch UBND tỉnh Quảng Trị Lê Văn Bình yêu cầu Sở Xây dựng kiểm tra các cầu "
            "yếu trước ngày 15/3/2026.",
            ["Sở Xây dựng"],
        ),
        (
            "UBND tỉnh giao Trường THPT Chuyên Lê Hồng Phong tổ chức ôn tập cho học sinh.",
            ["Trường THPT Chuyên Lê Hồng Phong"],
        ),
    ],
)
def test_a_speakers_name_after_the_body_is_no_part_of_it(sentence: str, named: list[str]) -> None:
    (task,) = tasks(sentence)
    assert leads(task) == named
    people = referents.named_in(sentence, 0, len(sentence), ag.Gazetteer())
    assert all("Lê Văn Bình" not in m.text for _s, _e, found in people for m in found)


def test_the_body_whose_guidance_is_followed_does_not_lead() -> None:
    # "… theo hướng dẫn của Bộ Tài chính": even when the chooser weighs it high, the body
    # whose guidance (or staff) the sentence names is not asked; the body asked leads.
    sentence = (
        "Các sở, ngành khẩn trương chi trả chế độ cho người nghỉ việc theo hướng dẫn của Sở Tài "
        "chính trước ngày 20/3/2026."
    )
    asked = ag.Mention("Các sở, ngành", 0, 13, True)
    guide = sentence.index("Sở Tài chính")
    owner = ag.Mention("Sở Tài chính", guide, guide + len("Sở Tài chính"))
    found = leads_module.options(
        sentence,
        Draft(0, len(sentence), [], [], True, 0, found_by_rules=False),
        Header(),
        ag.Gazetteer(),
        None,
    )
    named = {o.mentions[0].text: o for o in found if o.inline}
    assert "owner" in named["Sở Tài chính"].features
    weighed = [(named["Sở Tài chính"], 0.9), (named["Các sở, ngành"], 0.6)]
    assert [m.text for m in leads_module.choose(weighed, [owner])] == [asked.text]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "Bộ Tài chính yêu cầu các đơn vị thuộc Bộ Y tế rà soát hồ sơ thanh toán trước ngày "
            "30/6/2026.",
            "các đơn vị thuộc Bộ Y tế",
        ),
        (
            "Yêu cầu các đơn vị trực thuộc Ngân hàng Nhà nước Việt Nam báo cáo tình hình cho vay "
            "trước ngày 15/7/2026.",
            "các đơn vị trực thuộc Ngân hàng Nhà nước Việt Nam",
        ),
    ],
)
def test_a_group_keeps_the_whole_name_of_the_body_it_belongs_to(sentence: str, named: str) -> None:
    # "các đơn vị thuộc Bộ Y tế" is not "các đơn vị thuộc Bộ" nor the bare "các đơn vị".
    (task,) = tasks(sentence)
    assert leads(task) == [named]


def test_an_address_list_goes_on_past_the_initials_a_name_is_given() -> None:
    # "Sở Giao thông vận tải (SGTVT) và UBND các huyện …": both are asked, not the first alone.
    sentence = (
        "Yêu cầu Sở Giao thông vận tải (SGTVT) và UBND các huyện rà soát các điểm đen tai nạn "
        "trước ngày 15/8/2026."
    )
    (task,) = tasks(sentence)
    assert leads(task) == ["Sở Giao thông vận tải", "UBND các huyện"]


def test_the_districts_committee_and_the_towns_after_it_are_two() -> None:
    # "UBND huyện, thị xã Sa Pa": the districts' committees and the town's own, not one body.
    sentence = (
        "Chủ tịch UBND tỉnh giao UBND huyện, thị xã Sa Pa hoàn thành việc bàn giao mặt bằng "
        "trước ngày 30/9/2026."
    )
    (task,) = tasks(sentence)
    assert leads(task) == ["UBND huyện", "UBND thị xã Sa Pa"]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # A meeting plan's lines: the office, then its part of the work.
        ("Phòng Kinh tế chủ trì, chuẩn bị tài liệu cuộc họp.", "Phòng Kinh tế"),
        ("Phòng Văn hóa - Xã hội tham mưu nội dung báo cáo.", "Phòng Văn hóa - Xã hội"),
        ("Chi cục Thủy lợi tỉnh phối hợp chuẩn bị địa điểm.", "Chi cục Thủy lợi tỉnh"),
        ("Trung tâm Dịch vụ nông nghiệp chuẩn bị hồ sơ, cùng dự.", "Trung tâm Dịch vụ nông nghiệp"),
    ],
)
def test_an_office_opening_a_line_is_named_up_to_its_work(line: str, name: str) -> None:
    found, _ = ag.mentions_list(line, 0, ag.Gazetteer([]))
    assert [m.text for m in found] == [name]


def test_a_room_is_no_office() -> None:
    found, _ = ag.mentions_list("Phòng họp số 2, tầng 3 trụ sở UBND xã.", 0, ag.Gazetteer([]))
    assert not found


def _read_alone(sentence: str, previous: list[ag.Mention] | None = None) -> list[str]:
    """Whom lead_of reads as asked in a sentence the rules passed over."""
    found, _coordinate, _at = lead_of(
        sentence, Candidate(0, len(sentence), 0, None), previous or [], Header(), ag.Gazetteer()
    )
    return [m.text for m in found]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "Ngày 4/3, Cục An toàn thực phẩm (Bộ Y tế) đã có văn bản gửi đến Sở Y tế tỉnh Nghệ An "
            "đề nghị kiểm tra cơ sở sản xuất bánh kẹo.",
            ["Sở Y tế"],  # (the agency reader leaves out the province after a Sở's name)
        ),
        (
            "Tại Công văn số 120/BTC-QLCS, Bộ Tài chính đã đôn đốc các bộ, cơ quan ngang bộ hoàn "
            "thành việc rà soát tài sản công.",
            ["các bộ, cơ quan ngang bộ"],
        ),
    ],
)
def test_the_letters_addressee_and_the_one_urged_are_asked_not_the_sender(
    sentence: str, named: list[str]
) -> None:
    # "X gửi đến Y đề nghị …": Y is asked, though "đề nghị" follows it as it follows an asker;
    # "X đã đôn đốc Y …": Y, as after "yêu cầu".
    assert _read_alone(sentence) == named


def test_an_asker_naming_no_one_leaves_the_lead_to_those_asked_before() -> None:
    # "Sở Tư pháp yêu cầu thực hiện …" names no one: those it asked before lead, not it; with
    # no one before, it stays (a task without a lead is not proposed).
    asked = ag.Mention("các phòng Tư pháp", 0, 17, True)
    sentence = "Sở Tư pháp yêu cầu thực hiện nghiêm quy trình chứng thực bản sao trong tháng 4."
    assert _read_alone(sentence, [asked]) == ["các phòng Tư pháp"]
    assert _read_alone(sentence) == ["Sở Tư pháp"]


def test_an_option_before_the_verb_knows_another_is_named_right_after_it() -> None:
    # The chooser weighs options one by one: the one before "yêu cầu" / "chỉ đạo" says that the
    # verb names someone else, and by which verb (the one asking does not lead; the one
    # directing does).
    def features(sentence: str) -> dict[str, list[str]]:
        draft = Draft(0, len(sentence), [], [], True, 0, found_by_rules=False)
        found = leads_module.options(sentence, draft, Header(), ag.Gazetteer(), None)
        return {o.mentions[0].text: o.features for o in found if o.inline}

    asking = features("Sở Xây dựng yêu cầu UBND các huyện kiểm tra các công trình xuống cấp.")
    assert "other_asked:asks" in asking["Sở Xây dựng"]
    assert "trigger:right_after" in asking["UBND các huyện"]
    assert not any(f.startswith("other_asked") for f in asking["UBND các huyện"])
    directing = features("Sở Y tế chỉ đạo Trung tâm Kiểm soát bệnh tật tỉnh rà soát thuốc dự trữ.")
    assert "other_asked:directs" in directing["Sở Y tế"]
    # "X ra văn bản chỉ đạo Y …": the document's direction asks Y.
    by_letter = features(
        "UBND huyện đã có văn bản chỉ đạo Trung tâm Y tế huyện rà soát thuốc dự trữ."
    )
    assert "other_asked:asks" in by_letter["UBND huyện"]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Chủ tịch UBND tỉnh Đặng Minh Khôi yêu cầu kiểm tra chợ Tết.", "UBND tỉnh"),
        ("Chủ tịch UBND tỉnh Cao Bằng Lê Văn Tú yêu cầu kiểm tra chợ Tết.", "UBND tỉnh Cao Bằng"),
        ("UBND xã Phan Bội Châu tổ chức kiểm tra chợ Tết.", "UBND xã Phan Bội Châu"),
    ],
)
def test_a_chairmans_name_right_after_tinh_is_no_province(sentence: str, named: str) -> None:
    # "UBND tỉnh <family name> <given names>" names the chairman, not a province; a province
    # of two words followed by its leader's name, and a commune named after a person, stay.
    found, _ = ag.mentions_list(sentence, 0, ag.Gazetteer())
    assert [m.text for m in found] == [named]


def test_the_agency_after_an_intro_inside_the_sentence_is_its_subject() -> None:
    # "Trong đó, tập trung các nhiệm vụ sau: Sở X chủ trì …": Sở X opens the item, as it would
    # on a line of its own; the context above does not lead it.
    sentence = (
        "Trong đó, tập trung các nhiệm vụ sau: Sở Xây dựng chủ trì, phối hợp với Công an tỉnh "
        "kiểm tra an toàn các công trình nhà cao tầng."
    )
    above = [ag.Mention("UBND các huyện", 0, 14, True)]
    found, _coordinate, _at = lead_of(
        sentence, Candidate(0, len(sentence), 0, None), [], Header(), ag.Gazetteer(), above
    )
    assert [m.text for m in found] == ["Sở Xây dựng"]
    draft = Draft(0, len(sentence), found, [], True, 0, found_by_rules=False)
    options = leads_module.options(sentence, draft, Header(), ag.Gazetteer(), above)
    (subject,) = [o for o in options if o.inline and o.mentions[0].text == "Sở Xây dựng"]
    assert "subject" in subject.features


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Các tổ dân phố huy động người dân khơi thông cống rãnh.", ["Các tổ dân phố"]),
        (
            "Các hợp tác xã nông nghiệp chủ động xây dựng kế hoạch tưới tiêu vụ Đông Xuân.",
            ["Các hợp tác xã nông nghiệp"],
        ),
        # Not a plural subject: nobody named, and nothing before it to fall back on.
        ("Khẩn trương di dời các hộ dân ra khỏi vùng nguy hiểm.", []),
    ],
)
def test_a_plural_subject_the_agency_reader_does_not_know_leads(
    sentence: str, named: list[str]
) -> None:
    assert _read_alone(sentence) == named


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        (
            "Thủ tướng chỉ đạo Bộ trưởng Công Thương theo dõi sát diễn biến giá xăng dầu.",
            ["Bộ Công Thương"],
        ),
        (
            "Phó Thủ tướng yêu cầu Bộ trưởng Xây dựng rà soát các dự án chậm tiến độ.",
            ["Bộ Xây dựng"],
        ),
        (
            "Thủ tướng chỉ đạo tỉnh Bà Rịa - Vũng Tàu hoàn tất giải phóng mặt bằng dự án.",
            ["UBND tỉnh Bà Rịa - Vũng Tàu"],
        ),
        (
            "Chủ tịch UBND tỉnh yêu cầu lãnh đạo đặc khu Côn Đảo tăng cường kiểm tra bến tàu.",
            ["UBND đặc khu Côn Đảo"],
        ),
        (
            "UBND thành phố yêu cầu xã Tân Phú và phường Long Bình khẩn trương di dời các hộ dân.",
            ["UBND xã Tân Phú", "UBND phường Long Bình"],
        ),
    ],
)
def test_a_body_named_by_its_minister_or_its_place_alone_is_that_body(
    sentence: str, named: list[str]
) -> None:
    (task,) = tasks(sentence)
    assert leads(task) == named


def test_a_person_after_a_locality_word_is_no_place() -> None:
    # "UBND tỉnh Phạm Hoàng Sơn" names the chairman, so "tỉnh Phạm Hoàng Sơn" is no province.
    assert ag.mention_at("tỉnh Phạm Hoàng Sơn yêu cầu", 0, ag.Gazetteer([])) is None


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("các tổ chức tín dụng khẩn trương cơ cấu lại nợ", ["các tổ chức tín dụng"]),
        ("Các TCTD khẩn trương cơ cấu lại nợ", ["Các tổ chức tín dụng"]),
        (
            "các tổ chức tín dụng, chi nhánh ngân hàng nước ngoài rà soát khách hàng",
            ["các tổ chức tín dụng, chi nhánh ngân hàng nước ngoài"],
        ),
        (
            "các sở, cơ quan ngang sở và UBND các xã, phường tiến hành rà soát",
            ["các sở, cơ quan ngang sở", "UBND các xã, phường"],
        ),
        ("các sở, ngành tổ chức thực hiện", ["các sở, ngành"]),  # "tổ chức" the verb
        # A commune's own: its offices, villages and residential areas, "các" said once.
        (
            "các phòng ban chức năng, thôn, khu dân cư theo dõi sát tình hình",
            ["các phòng ban chức năng", "thôn, khu dân cư"],
        ),
        (
            "các phòng ban chuyên môn, đơn vị sự nghiệp trên địa bàn triển khai",
            ["các phòng ban chuyên môn", "đơn vị sự nghiệp trên địa bàn"],
        ),
        (
            "các cơ quan, đơn vị, thôn, xóm tổ chức dọn vệ sinh",
            ["các cơ quan, đơn vị", "thôn, xóm"],
        ),
        # A title inside the list, before a committee's localities or a group of committees.
        (
            "Bí thư tỉnh ủy và Chủ tịch UBND các tỉnh: Khánh Hòa, Gia Lai chỉ đạo",
            ["tỉnh ủy", "Ủy ban nhân dân tỉnh Khánh Hòa", "Ủy ban nhân dân tỉnh Gia Lai"],
        ),
        (
            "bộ trưởng các bộ và chủ tịch UBND các địa phương theo dõi sát",
            ["các bộ", "UBND các địa phương"],
        ),
        # "thị trường" is no "thị xã": the name goes on past it.
        (
            "Chi cục Quản lý thị trường, Công an giao thông tăng cường kiểm tra",
            ["Chi cục Quản lý thị trường", "Công an giao thông"],
        ),
        (
            # News writes the party committees in lower case after a title; "tỉnh ủy" is no
            # province named "ủy".
            "Bí thư tỉnh ủy, thành ủy và Chủ tịch UBND các tỉnh, thành phố trực tiếp chỉ đạo",
            ["tỉnh ủy", "thành ủy", "UBND các tỉnh, thành phố"],
        ),
    ],
)
def test_a_group_of_banks_or_of_a_province_s_bodies_is_named_whole(
    written: str, named: list[str]
) -> None:
    found, _ = ag.mentions_list(written, 0, ag.Gazetteer([]))
    assert [m.text for m in found] == named


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("Giám đốc Sở Tài chính Lê Trọng Thụ báo cáo tình hình", "Sở Tài chính"),
        ("Chủ tịch UBND tỉnh Hà Tĩnh Võ Trọng Hải yêu cầu", "UBND tỉnh Hà Tĩnh"),
        ("Giám đốc Sở Y tế Hà Nội chỉ đạo", "Sở Y tế Hà Nội"),  # a place, no one's name
    ],
)
def test_after_a_title_the_holder_s_name_is_not_the_body_s(written: str, named: str) -> None:
    mention = ag.mention_at(written, 0, ag.Gazetteer([]))
    assert mention is not None and mention.text == named


@pytest.mark.parametrize(
    "sentence",
    [
        "Cùng với đó, các địa phương rà soát các khu dân cư ven sông, ven biển.",
        "Trước mắt, các địa phương cần bố trí đủ người để mở nước.",
        "Đối với gió mạnh trên biển, các tỉnh ven biển theo dõi chặt chẽ bản tin dự báo.",
    ],
)
def test_past_an_opening_phrase_the_subject_opens_the_sentence(sentence: str) -> None:
    # News and spoken conclusions open a duty with "Cùng với đó,", "Trước mắt,", "Đối với …,":
    # the chooser sees the agency after it as the sentence's subject, as it would without.
    draft = Draft(0, len(sentence), [], [], True, 0, found_by_rules=False)
    found = leads_module.options(sentence, draft, Header(), ag.Gazetteer(), None)
    first = next(o for o in found if o.inline)
    assert "subject" in first.features and "subject_acts" in first.features  # a verb follows
    assert first.mentions[0].text.startswith("các")


def test_a_committee_s_localities_named_without_a_colon_are_one_each() -> None:
    found, _ = ag.mentions_list(
        "UBND các huyện Hòa An, Nguyên Bình, Trà Lĩnh chịu trách nhiệm công bố kết quả.",
        0,
        ag.Gazetteer([]),
    )
    assert [m.text for m in found] == [
        "Ủy ban nhân dân huyện Hòa An",
        "Ủy ban nhân dân huyện Nguyên Bình",
        "Ủy ban nhân dân huyện Trà Lĩnh",
    ]
    # A group with no place after it stays one group.
    found, _ = ag.mentions_list("UBND các tỉnh, thành phố triển khai.", 0, ag.Gazetteer([]))
    assert [m.text for m in found] == ["UBND các tỉnh, thành phố"]
