"""The append-only audit log: who did what to which object, when and from where."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.models import Role
from samvirke.participants.models import RevealReason

# Labels Samvirke writes for objects that are not rows a person named: stored as written here,
# shown in the reader's language.
SYSTEM_LABELS = {
    "member import": _("member import"),
    "research data: resource mapping": _("research data: resource mapping"),
    "service map": _("service map"),
    "research data: evaluation dataset": _("research data: evaluation dataset"),
    "audit log": _("audit log"),
}

# Purposes Samvirke gives for a read it makes on someone's behalf: stored in English as written
# here, shown in the reader's language (the participant reads them in their access log).
SYSTEM_PURPOSES = {
    "taking attendance": _("taking attendance"),
    "editing": _("editing"),
    "sign-in invitation": _("sign-in invitation"),
}


# What a read or an export was of, as services write it in ``detail["read"]`` or
# ``detail["what"]``: shown in the reader's language on the audit log.
READ_KINDS = {
    "identity": _("identity (name and contact details)"),
    "name": _("name"),
    "registrations": _("who is registered"),
    "attendance": _("attendance"),
    "all data": _("all their data"),
    "mapping": _("resource mapping"),
    "note": _("guide notes"),
    "journey": _("journey through measures"),
    "enrolment": _("enrolment"),
    "referral": _("referral to a measure"),
    "research data": _("research data"),
    "member import": _("member import"),
    "audit log": _("audit log"),
}


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logged out")
    PERMISSION_DENIED = "permission_denied", _("was refused")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when (UTC)"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    role = models.CharField(_("acting as"), max_length=32, blank=True)
    action = models.CharField(_("what"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    ip_address = models.GenericIPAddressField(_("from where"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["programme", "-at"], name="audit_programme_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one save() override in the code base: an audit row may be written once, never again.
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")

    @property
    def display_label(self) -> str:
        """The object's label; what Samvirke itself names (an import, an export) in the
        reader's language."""
        return str(SYSTEM_LABELS.get(self.object_label, self.object_label))

    @property
    def purpose_label(self) -> str:
        """The purpose given for a read: a person's own words, or Samvirke's in the reader's
        language."""
        purpose = str(self.detail.get("purpose", "")) if isinstance(self.detail, dict) else ""
        return str(SYSTEM_PURPOSES.get(purpose, purpose))

    @property
    def kind(self) -> str:
        """What was read or exported (see ``READ_KINDS``), or ""."""
        if not isinstance(self.detail, dict):
            return ""
        return str(self.detail.get("read") or self.detail.get("what") or "")

    @property
    def kind_label(self) -> str:
        return str(READ_KINDS.get(self.kind, self.kind))

    @property
    def reason_label(self) -> str:
        """Why a person's identity was opened (follow-up, a questionnaire …), or ""."""

        reason = str(self.detail.get("reason", "")) if isinstance(self.detail, dict) else ""
        return str(dict(RevealReason.choices).get(reason, reason))

    @property
    def role_label(self) -> str:
        """The role the person acted in, in the reader's language."""

        return str(dict(Role.choices).get(self.role, self.role))
