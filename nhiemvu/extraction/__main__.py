"""Command line: python -m nhiemvu.extraction FILE.{txt,docx,pdf} [--json] | --jsonl FILE |
--score LABELLED.jsonl [--details] [--rules-only] | --train | --crossval [--nested] [--folds 5]."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def predict(record: dict[str, Any], rules_only: bool = False) -> list[dict[str, Any]]:
    """The tasks the reader proposes and keeps ticked for one labelled record."""
    from nhiemvu.extraction import extract

    result = extract(record.get("text") or "", _date(record.get("doc_date")), rules_only=rules_only)
    return [t.as_prediction() for t in result.tasks if t.confident]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nhiemvu.extraction",
        description="Đọc văn bản chỉ đạo và đề xuất các nhiệm vụ.",
    )
    parser.add_argument("file", nargs="?", help="a .txt, .docx or .pdf directive")
    parser.add_argument("--jsonl", help="records with id, text, doc_date; one prediction per line")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--date", help="the document date (YYYY-MM-DD) when the text lacks one")
    parser.add_argument("--score", help="labelled records: read each and score the proposals")
    parser.add_argument("--details", action="store_true", help="with --score: list each miss")
    parser.add_argument(
        "--rules-only", action="store_true", help="read with the rules alone, without the model"
    )
    parser.add_argument(
        "--train", action="store_true", help="rebuild model.json from the labelled corpus"
    )
    parser.add_argument(
        "--crossval",
        action="store_true",
        help="grouped k-fold scores (by issuer and website) beside the fit",
    )
    parser.add_argument(
        "--nested",
        action="store_true",
        help="with --crossval: also the nested score (the threshold chosen inside each fold)",
    )
    parser.add_argument("--folds", type=int, default=5, help="with --crossval: number of folds")
    parser.add_argument(
        "--corpus", help="with --train/--crossval: a folder of *.jsonl instead of tests/corpus/"
    )
    parser.add_argument(
        "--extra",
        help="with --train/--crossval: labelled records of the province's own (JSONL), added to "
        "the corpus; --crossval then scores before and after",
    )
    args = parser.parse_args(argv)
    import django

    django.setup()  # the file readers' messages go through gettext
    from nhiemvu.lib import workdays

    # Reading a file needs no database (a fresh clone has none): holidays.VN only, without the
    # administrators' overrides.
    workdays.set_override_loader(None)
    from nhiemvu.extraction import extract
    from nhiemvu.extraction.files import FileError, read_file

    out = sys.stdout
    if args.train or args.crossval:
        from nhiemvu.extraction import learning, model

        records = learning.load_corpus(Path(args.corpus)) if args.corpus else learning.load_corpus()
        extra = learning.load_file(Path(args.extra)) if args.extra else []
        if args.crossval:
            folds = max(2, args.folds)
            out.write(learning.report(records + extra, folds) + "\n")
            if args.nested:
                out.write(learning.nested_report(records + extra, folds) + "\n")
            if extra:
                out.write(learning.compare(records, extra, folds) + "\n")
        if args.train:
            trained = learning.fit(records + extra)
            model.save(trained)
            out.write(
                f"model {trained.version}: {len(trained.weights)} weights from "
                f"{trained.trained_on} written to {model.MODEL_PATH}\n"
            )
        return 0
    if args.score:
        from nhiemvu.extraction.scoring import score

        with open(args.score, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        predictions = {r["id"]: predict(r, args.rules_only) for r in records}
        scored = score(records, predictions, details=args.details)
        out.write(scored.report() + "\n")
        figures = " ".join(f"{k}={v:.3f}" for k, v in scored.summary().items())
        out.write(f"SUMMARY {figures}\n")
        return 0
    if args.jsonl:
        with open(args.jsonl, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                tasks = predict(record)
                out.write(
                    json.dumps({"id": record.get("id"), "tasks": tasks}, ensure_ascii=False) + "\n"
                )
        return 0
    if not args.file:
        parser.error("give a FILE or --jsonl FILE")
    try:
        text = read_file(args.file)
    except FileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = extract(text, _date(args.date))
    if args.json:
        out.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str) + "\n")
        return 0
    header = result.header
    out.write(
        f"Văn bản: {header.doc_ref or '—'}  ngày {header.doc_date or '—'}  {header.issuer or ''}\n"
    )
    if header.subject:
        out.write(f"Trích yếu: {header.subject}\n")
    out.write(f"Nhiệm vụ đề xuất: {len(result.tasks)}\n")
    for n, task in enumerate(result.tasks, 1):
        out.write(f"\n{n}. {task.action}\n")
        out.write(f"   Chủ trì: {', '.join(a.text for a in task.lead) or '—'}\n")
        if task.coordinate:
            out.write(f"   Phối hợp: {', '.join(a.text for a in task.coordinate)}\n")
        out.write(
            f"   Sản phẩm: {task.deliverable or '—'}   Thời hạn: "
            f"{task.deadline.strftime('%d/%m/%Y') if task.deadline else '—'}"
            f"{' (' + task.recurrence + ')' if task.recurrence else ''}\n"
        )
        if task.warnings:
            out.write(f"   Cảnh báo: {', '.join(task.warnings)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
