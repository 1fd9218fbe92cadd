"""Users, and the roles they hold in programmes."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A participant's account holds no address of theirs: only a keyed hash of it under this domain
# (to find the account when they ask for a sign-in link); the address itself is in the encrypted
# identity, where the link is sent from.
HIDDEN_ADDRESS_DOMAIN = "sign-in.invalid"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Logs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nb"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=[(tz, tz) for tz in settings.SAMVIRKE_TIME_ZONES],
        default="Europe/Oslo",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        if self.has_hidden_address:
            return self.full_name
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def has_hidden_address(self) -> bool:
        """A participant's account: the address is a keyed hash, the name their pseudonym."""
        return self.email.endswith("@" + HIDDEN_ADDRESS_DOMAIN)

    @property
    def sign_in_name(self) -> str:
        """What the person is shown as on their own sign-in and settings pages."""
        return self.full_name if self.has_hidden_address else self.email


class Role(models.TextChoices):
    PROGRAMME_LEADER = "programme_leader", _("programme leader")
    COORDINATOR = "coordinator", _("coordinator")
    CONTACT_PERSON = "contact_person", _("contact person")
    GUIDE = "guide", _("guide")
    USER_REPRESENTATIVE = "user_representative", _("user representative")
    RESEARCHER = "researcher", _("researcher")
    PARTICIPANT = "participant", _("participant")


# Roles whose holders must use two-factor authentication before they see personal data.
STAFF_ROLES = frozenset(
    {
        Role.PROGRAMME_LEADER,
        Role.COORDINATOR,
        Role.CONTACT_PERSON,
        Role.GUIDE,
        Role.RESEARCHER,
    }
)


class Membership(models.Model):
    """A role held in a programme, optionally narrowed to an organisation or subproject."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("programme"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "programmes.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    subproject = models.ForeignKey(
        "programmes.Subproject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("subproject"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "role", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "role", "organisation", "subproject"],
                name="membership_unique_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
