from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.lib.codes import new_code
from nhiemvu.lib.docref import CONG_VAN, DOC_TYPES, LEGAL
from nhiemvu.orgs.models import Organisation


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (Khẩn)")
    VERY_URGENT = "very_urgent", _("Very urgent (Thượng khẩn)")
    FLASH = "flash", _("Flash (Hỏa tốc)")


class Authority(models.TextChoices):
    """How the signer signs (Decree 30): tells a Chairman's task from a Vice-Chairman's."""

    DIRECT = "", _("Signs in own name")
    TM = "TM", _("TM. (on behalf of the collective)")
    KT = "KT", _("KT. (signing for the head)")
    Q = "Q", _("Q. (acting)")
    TL = "TL", _("TL. (by order)")
    TUQ = "TUQ", _("TUQ. (by authorisation)")


DOC_TYPE_CHOICES = [
    (CONG_VAN, "Công văn"),
    (LEGAL, "Luật, Nghị quyết của Quốc hội"),
    *DOC_TYPES.items(),
]


class Directive(models.Model):
    """A directive document. Key: (issuer, year, number, symbol) — numbers restart each year."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    issuer = models.ForeignKey(
        Organisation, models.PROTECT, related_name="issued_directives", verbose_name=_("issuer")
    )
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year"))
    symbol = models.CharField(_("symbol"), max_length=60)
    ref = models.CharField(_("number and symbol"), max_length=80)
    doc_type = models.CharField(_("document type"), max_length=8, choices=DOC_TYPE_CHOICES)
    doc_date = models.DateField(_("document date"))
    place = models.CharField(_("place"), max_length=80, blank=True)
    subject = models.TextField(_("subject"))
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    authority = models.CharField(
        _("signing authority"), max_length=4, choices=Authority.choices, blank=True, default=""
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_directives",
        verbose_name=_("assigning leader"),
    )
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    text = models.TextField(_("full text"), blank=True)
    search_text = models.TextField(editable=False, default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="registered_directives",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("directive document")
        verbose_name_plural = _("directive documents")
        ordering = ["-doc_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number", "symbol"], name="directive_unique_ref"
            )
        ]
        indexes = [models.Index(fields=["-doc_date", "-id"], name="directive_date")]

    def __str__(self) -> str:
        return f"{self.ref} ({self.doc_date:%d/%m/%Y})"


def attachment_path(instance: StoredFile, filename: str) -> str:
    # Stored under an opaque name: the original name is kept in the row, never trusted on disk.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{new_code(16)}"


class StoredFile(models.Model):
    """An uploaded PDF or DOCX, checked by content and size before it is stored."""

    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    # Digital signatures read on upload (lib/signatures.py): one verdict per signature, the
    # state of the first (what a clerk reads first), and why they could not be read, if so.
    signatures = models.JSONField(_("digital signatures"), default=list, blank=True)
    signature_state = models.CharField(max_length=12, blank=True, default="")
    signature_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class DirectiveAttachment(StoredFile):
    directive = models.ForeignKey(Directive, models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class ReadingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    RUNNING = "running", _("Being read")
    DONE = "done", _("Read")
    FAILED = "failed", _("Could not be read")


class Reading(StoredFile):
    """A directive file too long to read while someone waits (many pages, a scan to OCR): the
    worker reads it, the office then reviews the tasks it proposes.

    From the API the document is registered at once (``directive``) and, when asked, its tasks
    are registered by the worker after the reading (``register_tasks``)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    status = models.CharField(
        max_length=10, choices=ReadingStatus.choices, default=ReadingStatus.PENDING
    )
    doc_date = models.DateField(null=True, blank=True)
    directive = models.ForeignKey(
        Directive, models.CASCADE, null=True, blank=True, related_name="readings"
    )
    register_tasks = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document reading")
        verbose_name_plural = _("document readings")


class ReaderExample(models.Model):
    """A directive the office registered through the review screen, kept as a labelled example
    for the reader (issue 26 item 4): the text and the tasks as registered, in the corpus's
    record shape, beside what the reader had proposed and the model that proposed it.
    ``manage.py reader train`` learns from these with the corpus."""

    directive = models.OneToOneField(Directive, models.CASCADE, related_name="reader_example")
    record = models.JSONField(_("labelled record"))
    proposed = models.JSONField(_("what the reader proposed"), default=list)
    model_version = models.CharField(_("reader model"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reader example")
        verbose_name_plural = _("reader examples")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.directive.ref} ({self.model_version or '—'})"


# The old tracker's import keeps its profile and runs here (issue 29); they name no task.
from nhiemvu.directives.legacy.models import LegacyProfile, LegacyRun  # noqa: E402, F401
