"""Extraction speed: documents per CPU-second on ~3,000-character directives, one core.

    .venv/bin/python bench/extraction.py [--seconds 10]

Prints documents per CPU-second (the process's CPU time, so other work on a shared machine
does not count against the reader; the best of a few rounds, as the slowest ones measure the
machine's neighbours), the ratio to the goal (200/s) and the text sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")

GOAL = 200.0


def documents() -> list[tuple[str, dt.date | None]]:
    """Real directive texts (the project's labelled corpus) and the test samples, cut or joined
    to ~3,000 characters each."""
    texts: list[tuple[str, dt.date | None]] = []
    corpus = Path(__file__).resolve().parents[1] / "nhiemvu" / "extraction" / "tests" / "corpus"
    for name in ("dev.jsonl", "dev2.jsonl"):
        for line in (corpus / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            date = dt.date.fromisoformat(record["doc_date"]) if record.get("doc_date") else None
            texts.append((record["text"], date))
    from nhiemvu.extraction.tests import samples

    for name in ("LETTER", "CONCLUSION", "SHORT_DEADLINES", "NEWS_NO_TASK"):
        texts.append((getattr(samples, name), None))
    sized = []
    for i, (text, date) in enumerate(texts):
        body = text
        j = i + 1
        while len(body) < 3000:
            body += "\n\n" + texts[j % len(texts)][0]
            j += 1
        sized.append((body[:3000], date))
    return sized


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    from nhiemvu.extraction import extract
    from nhiemvu.lib import workdays

    workdays.set_override_loader(None)  # the engine alone, as the command line runs it
    docs = documents()
    for text, date in docs:  # warm up caches (holidays per year, compiled patterns)
        extract(text, date)
    count = 0
    tasks = 0
    best = 0.0
    start = time.process_time()
    while time.process_time() - start < args.seconds:
        round_start = time.process_time()
        for text, date in docs:
            tasks += len(extract(text, date).tasks)
            count += 1
        best = max(best, len(docs) / (time.process_time() - round_start))
    elapsed = time.process_time() - start
    rate = count / elapsed
    sizes = sorted(len(t) for t, _ in docs)
    print(f"documents: {count} in {elapsed:.2f} CPU-s; tasks proposed: {tasks}")
    print(f"text size: {sizes[0]}–{sizes[-1]} characters (median {sizes[len(sizes) // 2]})")
    print(
        f"extraction: {best:.0f} documents per CPU-second (best round; {rate:.0f} over all);"
        f" goal {GOAL:.0f}; ratio {best / GOAL:.2f}"
    )


if __name__ == "__main__":
    main()
