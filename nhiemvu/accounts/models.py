from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. What they may see and do comes from their memberships (orgs.Membership)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class KeyScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiKey(models.Model):
    """A key another system uses to call the API, for one organisation.

    The key acts through its own service account (``user``), a member of the organisation with
    a role, so the API applies exactly the permissions a person in that role has; ``scope``
    narrows it further to reading. Only a SHA-256 digest of the secret is stored: the secret
    is 256 random bits, so a slow password hash would add nothing but latency per request.
    """

    prefix = models.CharField(_("key prefix"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, editable=False)
    name = models.CharField(_("receiving system"), max_length=150)
    org = models.ForeignKey(
        "orgs.Organisation", models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    user = models.OneToOneField(
        User, models.PROTECT, related_name="api_key", verbose_name=_("service account")
    )
    scope = models.CharField(_("scope"), max_length=5, choices=KeyScope.choices)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiKeyWindow(models.Model):
    """Requests of one key in one minute: the rate limit, shared by every web process."""

    key = models.ForeignKey(ApiKey, models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "minute"], name="apikey_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key_id} {self.minute:%H:%M} {self.count}"


class Source(models.TextChoices):
    OIDC = "oidc", _("Province's single sign-on")
    LDAP = "ldap", _("User directory")


class ExternalAccount(models.Model):
    """A person whose account an outside source vouches for (accounts/mapping.py).

    ``subject`` is the source's lasting identifier (OpenID Connect's ``sub``, the directory's
    entryUUID/objectGUID), never the username or the DN, which change when a person is renamed
    or moved between units. ``org``/``role`` is the one membership the source manages: a move
    replaces it (audited) and leaves memberships an administrator granted by hand alone."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="external_accounts", verbose_name=_("user")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    subject = models.CharField(_("identifier at the source"), max_length=255)
    org = models.ForeignKey(
        "orgs.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    seen_at = models.DateTimeField(_("last seen at the source"))
    # Set when a directory sync found the person gone and deactivated them; a person the
    # directory lists again is reactivated (an administrator's own deactivation is not undone).
    left_at = models.DateTimeField(_("left the source at"), null=True, blank=True)

    class Meta:
        verbose_name = _("external account")
        verbose_name_plural = _("external accounts")
        constraints = [
            models.UniqueConstraint(fields=["source", "subject"], name="external_subject_unique"),
            models.UniqueConstraint(fields=["user", "source"], name="external_user_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.subject}"
