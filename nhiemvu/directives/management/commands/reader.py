"""manage.py reader train: retrain the reader on the corpus and the province's own examples.

The examples are the directives the office registered through the review screen
(directives.ReaderExample). Before writing the model it prints the grouped cross-validated score
of a model trained on the corpus alone and of one trained with the examples (learning.compare),
each fold scored on texts neither was trained on; the model is written where the application
reads it (settings NHIEMVU READER_MODEL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nhiemvu.conf import setting


class Command(BaseCommand):
    help = "Huấn luyện lại bộ đọc văn bản: `reader train` (kho mẫu và các văn bản tỉnh đã nhập)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["train"])
        parser.add_argument("--folds", type=int, default=5, help="number of folds")
        parser.add_argument("--corpus", help="a folder of *.jsonl instead of the shipped corpus")

    def handle(self, *args: Any, **options: Any) -> None:
        from nhiemvu.directives.models import ReaderExample
        from nhiemvu.extraction import learning, model

        corpus = Path(options["corpus"]) if options["corpus"] else learning.CORPUS
        records = learning.load_corpus(corpus)
        extra = [
            e.record
            for e in ReaderExample.objects.order_by("id")
            if isinstance(e.record.get("text"), str) and e.record.get("text")
        ]
        self.stdout.write(learning.compare(records, extra, max(2, options["folds"])))
        trained = learning.fit(records + extra)
        path = Path(setting("READER_MODEL"))
        model.save(trained, path)
        self.stdout.write(
            f"model {trained.version}: {len(trained.weights)} weights from {trained.trained_on} "
            f"written to {path}"
        )
