#!/usr/bin/env python3
"""Deterministic benchmark dataset: tasks assigned by a provincial People's Committee (UBND).

Produces, in --out (default: ./data next to this file's redmine/ folder, see below):

  agencies.csv        code,name,kind           60 agencies (20 "Sở ...", 40 "UBND huyện ...")
  tasks.jsonl         one JSON object per task (contract below), ordered by id
  tasks.csv           the same rows as CSV (UTF-8, header, ';'-joined coordinating agencies)
  summary.json        parameters + the counts every system must reproduce (as of REF_DATE)

Only the standard library is used, and only `random.Random(SEED).random()` plus integer /
float arithmetic (no log/exp), so the bytes are identical on any CPython 3.x.

Task contract (field: meaning):
  id              1..N, in creation order
  created_at      "YYYY-MM-DDTHH:MM:SS" local time (Asia/Ho_Chi_Minh, no offset written)
  created_date    "YYYY-MM-DD", = date part of created_at, a working day (Mon-Fri)
  doc_ref         the assigning document, e.g. "1147/UBND-KSTT", "215/TB-UBND"
  doc_date        "YYYY-MM-DD", = created_date
  subject         "Nhiệm vụ <id>: <Vietnamese text>"
  product         required work product (Báo cáo, Kế hoạch, ...)
  lead_agency     agency code (S01..S20, H01..H40): the single lead ("chủ trì") agency
  coord_agencies  list of 2 distinct agency codes != lead ("phối hợp")
  deadline        "YYYY-MM-DD" or null (15 %): created_date + 15..180 days
  closed          true if the task was completed strictly before REF_DATE
  closed_at       "YYYY-MM-DDTHH:MM:SS" or null; closed_date < REF_DATE, >= created_date
  closed_date     "YYYY-MM-DD" or null

Classification as of REF_DATE (what summary.json counts):
  overdue        = not closed and deadline is not null and deadline <  REF_DATE
  in_progress    = not closed and deadline is not null and deadline >= REF_DATE
  open_no_dl     = not closed and deadline is null
  closed_on_time = closed and (deadline is null or closed_date <= deadline)
  closed_late    = closed and deadline is not null and closed_date > deadline
"""

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import sys

import random

SEED = 20261101
N_TASKS = 100_000
REF_DATE = dt.date(2026, 11, 1)  # the fixed "today" of the dataset
WINDOW_DAYS = 400  # created dates fall in [REF-400, REF-1] (working days)
P_NO_DEADLINE = 0.15
DEADLINE_MIN, DEADLINE_MAX = 15, 180
# completion model for tasks with a deadline (fractions of tasks):
P_ON_TIME, P_LATE = 0.74, 0.16  # rest (0.10) are "stuck": finish long after the deadline
P_NO_DL_NEVER = 0.60  # tasks without deadline that never finish

SO = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Ngoại vụ",
    "Sở Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Quy hoạch - Kiến trúc",
    "Sở Phát triển nông thôn",
]
HUYEN = [
    "An Lão",
    "Bình Sơn",
    "Cam Lộ",
    "Đông Hòa",
    "Gio Linh",
    "Hải Lăng",
    "Hòa Vang",
    "Kim Sơn",
    "Lạc Dương",
    "Mộ Đức",
    "Nghĩa Hành",
    "Phù Cát",
    "Quế Sơn",
    "Sơn Hà",
    "Tam Đảo",
    "Thạch Hà",
    "Tiên Phước",
    "Trà Bồng",
    "Tư Nghĩa",
    "Vĩnh Linh",
    "Yên Định",
    "Bảo Lâm",
    "Cái Bè",
    "Đức Phổ",
    "Hàm Thuận Bắc",
    "Hướng Hóa",
    "Krông Pa",
    "Long Điền",
    "Mai Sơn",
    "Nam Đàn",
    "Núi Thành",
    "Phong Điền",
    "Quảng Trạch",
    "Sa Thầy",
    "Tân Châu",
    "Thanh Chương",
    "Triệu Phong",
    "Văn Bàn",
    "Xuyên Mộc",
    "Yên Thành",
]
# Lead-agency weights: each Sở ~3.5 %, each huyện ~0.75 % of tasks (70 % / 30 %).
W_SO, W_HUYEN = 3.5, 0.75

# document types: (suffix template, share of documents); numbering restarts each calendar year,
# one counter per type ("công văn" share one counter across office suffixes, as in practice)
CV_OFFICES = ["KSTT", "KT", "TH", "NC", "VX", "NN", "XD", "TCD"]
DOC_TYPES = [("CV", 0.62), ("TB", 0.20), ("KH", 0.10), ("CT", 0.03), ("QĐ", 0.05)]
DOC_YEARLY = {"CV": 11000, "TB": 3600, "KH": 1800, "CT": 540, "QĐ": 900}  # ~documents per year

VERBS = [
    "Tham mưu UBND tỉnh ban hành",
    "Chủ trì xây dựng",
    "Khẩn trương hoàn thiện",
    "Rà soát, đánh giá",
    "Tổ chức triển khai",
    "Kiểm tra, xử lý",
    "Tổng hợp, báo cáo",
    "Đề xuất giải pháp",
    "Hướng dẫn thực hiện",
    "Phối hợp giải quyết",
    "Nghiên cứu, đề xuất sửa đổi",
    "Đôn đốc hoàn thành",
]
OBJECTS = [
    "kế hoạch",
    "đề án",
    "báo cáo",
    "dự thảo quyết định",
    "phương án",
    "tờ trình",
    "chương trình",
    "quy chế",
    "hướng dẫn",
    "danh mục",
    "kết quả",
    "văn bản trả lời",
]
TOPICS = [
    "cải cách thủ tục hành chính",
    "chuyển đổi số",
    "giải ngân vốn đầu tư công",
    "giải phóng mặt bằng dự án",
    "phòng, chống thiên tai",
    "xây dựng nông thôn mới",
    "quản lý đất đai",
    "an toàn thực phẩm",
    "phát triển du lịch",
    "thu ngân sách nhà nước",
    "kiến nghị của cử tri",
    "đơn thư khiếu nại, tố cáo",
    "bảo vệ môi trường",
    "chương trình mục tiêu quốc gia",
    "sắp xếp đơn vị hành chính",
    "an sinh xã hội",
    "đào tạo nguồn nhân lực",
    "hạ tầng giao thông",
    "thu hút đầu tư",
    "y tế cơ sở",
]
PRODUCTS = ["Báo cáo", "Kế hoạch", "Dự thảo văn bản", "Tờ trình", "Quyết định", "Văn bản trả lời"]


def agencies():
    out = []
    for i, n in enumerate(SO, 1):
        out.append((f"S{i:02d}", n, "so"))
    for i, n in enumerate(HUYEN, 1):
        out.append((f"H{i:02d}", f"UBND huyện {n}", "huyen"))
    return out


def pick(r, seq):
    return seq[int(r.random() * len(seq))]


def weighted(r, items, weights):
    total = sum(weights)
    x = r.random() * total
    acc = 0.0
    for it, w in zip(items, weights):
        acc += w
        if x < acc:
            return it
    return items[-1]


def generate(n=N_TASKS, seed=SEED):
    r = random.Random(seed)
    ags = agencies()
    codes = [a[0] for a in ags]
    lead_w = [W_SO if a[2] == "so" else W_HUYEN for a in ags]
    start = REF_DATE - dt.timedelta(days=WINDOW_DAYS)
    workdays = [
        start + dt.timedelta(days=d)
        for d in range(WINDOW_DAYS)
        if (start + dt.timedelta(days=d)).weekday() < 5
    ]

    # 1. documents: (date, seconds since 07:30, type, office, n_tasks)
    docs, total = [], 0
    while total < n:
        day = pick(r, workdays)
        secs = int(r.random() * 9.5 * 3600)
        dtype = weighted(r, [t for t, _ in DOC_TYPES], [w for _, w in DOC_TYPES])
        office = pick(r, CV_OFFICES)
        k = 1 if r.random() < 0.35 else 2 + int(r.random() * 11)  # mean ~4.9 tasks / document
        k = min(k, n - total)
        docs.append([day, secs, dtype, office, k, len(docs)])
        total += k
    docs.sort(key=lambda d: (d[0], d[1], d[5]))
    counters = {}
    tasks = []
    for day, secs, dtype, office, k, _ in docs:
        key = (day.year, dtype)
        if key not in counters:  # the window starts mid-year: continue a plausible yearly sequence
            counters[key] = (
                int(DOC_YEARLY[dtype] * (day.timetuple().tm_yday - 1) / 365)
                if day.year == start.year
                else 0
            )
        counters[key] += 1
        num = counters[key]
        doc_ref = f"{num}/UBND-{office}" if dtype == "CV" else f"{num}/{dtype}-UBND"
        for j in range(k):
            tid = len(tasks) + 1
            created = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(seconds=secs + j)
            lead = weighted(r, codes, lead_w)
            c1 = pick(r, [c for c in codes if c != lead])
            c2 = pick(r, [c for c in codes if c not in (lead, c1)])
            subject = f"Nhiệm vụ {tid}: {pick(r, VERBS)} {pick(r, OBJECTS)} về {pick(r, TOPICS)}"
            product = pick(r, PRODUCTS)
            if r.random() < P_NO_DEADLINE:
                deadline = None
            else:
                deadline = day + dt.timedelta(
                    days=DEADLINE_MIN + int(r.random() * (DEADLINE_MAX - DEADLINE_MIN + 1))
                )
            # completion date (may lie after REF_DATE = still open as of REF_DATE)
            u1, u2 = r.random(), r.random()
            if deadline is not None:
                span = (deadline - day).days
                if u1 < P_ON_TIME:
                    done = day + dt.timedelta(days=max(1, int(span * (0.65 + 0.35 * u2))))
                elif u1 < P_ON_TIME + P_LATE:
                    done = deadline + dt.timedelta(days=1 + int(120 * u2 * u2 * u2))
                else:
                    done = deadline + dt.timedelta(days=30 + int(300 * u2))
            else:
                if u1 < P_NO_DL_NEVER:
                    done = None
                else:
                    done = day + dt.timedelta(days=3 + int(300 * u2 * u2))
            closed = done is not None and done < REF_DATE
            tsec = int(r.random() * 9 * 3600)
            closed_at = (
                (dt.datetime.combine(done, dt.time(8, 0)) + dt.timedelta(seconds=tsec))
                if closed
                else None
            )
            if closed_at is not None and closed_at <= created:
                closed_at = created + dt.timedelta(hours=1)
            tasks.append(
                {
                    "id": tid,
                    "created_at": created.isoformat(),
                    "created_date": day.isoformat(),
                    "doc_ref": doc_ref,
                    "doc_date": day.isoformat(),
                    "subject": subject,
                    "product": product,
                    "lead_agency": lead,
                    "coord_agencies": [c1, c2],
                    "deadline": deadline.isoformat() if deadline else None,
                    "closed": closed,
                    "closed_at": closed_at.isoformat() if closed_at else None,
                    "closed_date": closed_at.date().isoformat() if closed_at else None,
                }
            )
    return ags, tasks


def classify(t):
    ref = REF_DATE.isoformat()
    if not t["closed"]:
        if t["deadline"] is None:
            return "open_no_deadline"
        return "overdue" if t["deadline"] < ref else "in_progress"
    if t["deadline"] is not None and t["closed_date"] > t["deadline"]:
        return "closed_late"
    return "closed_on_time"


def summarize(ags, tasks):
    from collections import Counter

    cls = Counter(classify(t) for t in tasks)
    n = len(tasks)
    lead = Counter(t["lead_agency"] for t in tasks)
    lead_open = Counter(t["lead_agency"] for t in tasks if not t["closed"])
    coord_open = Counter(c for t in tasks if not t["closed"] for c in t["coord_agencies"])
    ref = REF_DATE
    due7 = sum(
        1
        for t in tasks
        if not t["closed"]
        and t["deadline"] is not None
        and t["deadline"] <= (ref + dt.timedelta(days=7)).isoformat()
    )
    return {
        "seed": SEED,
        "n_tasks": n,
        "ref_date": REF_DATE.isoformat(),
        "window_days": WINDOW_DAYS,
        "created_min": min(t["created_date"] for t in tasks),
        "created_max": max(t["created_date"] for t in tasks),
        "n_documents": len({t["doc_ref"] + t["doc_date"][:4] for t in tasks}),
        "n_agencies": len(ags),
        "with_deadline": sum(1 for t in tasks if t["deadline"] is not None),
        "closed": sum(1 for t in tasks if t["closed"]),
        "open": sum(1 for t in tasks if not t["closed"]),
        "classes": dict(sorted(cls.items())),
        "shares_pct": {k: round(100.0 * v / n, 2) for k, v in sorted(cls.items())},
        "open_due_within_7_days_incl_overdue": due7,
        "S5_agency": "S04",
        "S5_open_tasks_led_by_S04": lead_open["S04"],
        "S5b_open_tasks_coordinated_by_S04": coord_open["S04"],
        "tasks_led_by_S04": lead["S04"],
    }


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "redmine", "data")
    )
    ap.add_argument("-n", type=int, default=N_TASKS)
    ap.add_argument("--summary-only", action="store_true", help="print summary, write nothing")
    a = ap.parse_args()
    ags, tasks = generate(a.n)
    summ = summarize(ags, tasks)
    if a.summary_only:
        json.dump(summ, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "agencies.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "kind"])
        w.writerows(ags)
    with open(os.path.join(a.out, "tasks.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for t in tasks:
            f.write(json.dumps(t, ensure_ascii=False, separators=(",", ":")) + "\n")
    cols = [
        "id",
        "created_at",
        "created_date",
        "doc_ref",
        "doc_date",
        "subject",
        "product",
        "lead_agency",
        "coord_agencies",
        "deadline",
        "closed",
        "closed_at",
        "closed_date",
    ]
    with open(os.path.join(a.out, "tasks.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for t in tasks:
            row = dict(t)
            row["coord_agencies"] = ";".join(t["coord_agencies"])
            row["closed"] = 1 if t["closed"] else 0
            w.writerow(["" if row[c] is None else row[c] for c in cols])
    h = hashlib.sha256()
    with open(os.path.join(a.out, "tasks.jsonl"), "rb") as f:
        h.update(f.read())
    summ["tasks_jsonl_sha256"] = h.hexdigest()
    with open(os.path.join(a.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summ, f, ensure_ascii=False, indent=1)
        f.write("\n")
    json.dump(summ, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
