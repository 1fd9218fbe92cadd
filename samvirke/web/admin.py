"""The Django admin, for superusers only, under the same permission rules as the pages.

A superuser sees in the admin only the programmes they lead or coordinate (and the shared
reference data: municipalities and organisations). Every list and every choice in a form (each
foreign key and many-to-many select) is limited the same way, so that nobody can move a record,
or themselves, into a programme they do not manage; nobody changes their own memberships or
anyone's superuser flag here. The audit log is read-only here too.
``tests/web/test_admin_scope.py`` checks every registered ModelAdmin.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.http import sign_out
from samvirke.accounts.models import Membership, Role, User
from samvirke.accounts.permissions import programmes_managed_by
from samvirke.activities.models import Action, Activity
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.audit.services import record_event
from samvirke.programmes.models import Municipality, Organisation, Programme, Subproject


class SamvirkeAdminSite(admin.AdminSite):
    site_header = _("Samvirke administration")
    site_title = _("Samvirke administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_superuser):
            return False
        if settings.REQUIRE_2FA and not getattr(user, "is_verified", lambda: False)():
            return False
        return True

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Only our own login page starts the session clock, audits the sign-in, counts failures
        # and asks for the second factor; the admin's would skip all of that.
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, reverse("accounts:login"))

    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        sign_out(request)  # audited, like every other sign-out
        messages.info(request, _("You have signed out."))
        return redirect("accounts:login")


site = SamvirkeAdminSite(name="admin")

# Reference data every programme shares: no personal data, owned by no single programme.
SHARED_MODELS: frozenset[type[Model]] = frozenset({Municipality, Organisation})


def _programme_of(obj: Model) -> Programme | None:
    if isinstance(obj, Programme):
        return obj
    programme = getattr(obj, "programme", None)
    return programme if isinstance(programme, Programme) else None


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Changes made in the admin reach the audit log like changes made on the pages."""

    def _audit(self, request: HttpRequest, obj: Model, action: AuditAction) -> None:
        record_event(
            action=action,
            actor=Actor.of(request),
            obj=obj,
            programme=_programme_of(obj),
            detail={"via": "admin"},
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, obj, AuditAction.CREATE)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, obj, AuditAction.UPDATE)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            self._audit(request, obj, AuditAction.DELETE)
        return super().log_deletions(request, queryset)


def _managed(request: HttpRequest) -> QuerySet[Programme]:
    return programmes_managed_by(request.user)  # type: ignore[arg-type]


class ScopedChoicesAdmin(AuditedAdmin):
    """Every select in the admin's forms offers only what the user may see in the admin."""

    def scoped_choices(self, model: type[Model], request: HttpRequest) -> QuerySet[Any]:
        if model in SHARED_MODELS:
            return model._default_manager.all()
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, ScopedChoicesAdmin):
            return related_admin.get_queryset(request)
        field_names = {field.name for field in model._meta.get_fields()}
        if "programme" in field_names:
            return model._default_manager.filter(programme__in=_managed(request))
        return model._default_manager.none()  # deny by default

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self.scoped_choices(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self.scoped_choices(db_field.related_model, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ProgrammeScopedAdmin(ScopedChoicesAdmin):
    programme_path = "programme"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        lookup = f"{self.programme_path}__in" if self.programme_path else "pk__in"
        return super().get_queryset(request).filter(**{lookup: _managed(request)})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Programme, site=site)
class ProgrammeAdmin(ProgrammeScopedAdmin):
    programme_path = ""
    list_display = ["slug", "name_nb", "starts_on", "ends_on", "status"]


@admin.register(Subproject, site=site)
class SubprojectAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "programme", "status"]
    list_filter = ["status"]


@admin.register(Activity, site=site)
class ActivityAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "type", "starts_at", "programme"]
    list_filter = ["type", "status"]
    search_fields = ["title"]


@admin.register(Action, site=site)
class ActionAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "owner", "due_on", "status"]


@admin.register(Membership, site=site)
class MembershipAdmin(ProgrammeScopedAdmin):
    list_display = ["user", "programme", "role", "organisation", "subproject"]
    list_filter = ["role"]

    def _own(self, request: HttpRequest, obj: Model | None) -> bool:
        return isinstance(obj, Membership) and obj.user_id == request.user.pk

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # One's own role is changed by another manager, never by oneself.
        return not self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self._own(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Municipality, site=site)
class MunicipalityAdmin(ScopedChoicesAdmin):
    list_display = ["name", "code", "country", "county"]
    list_filter = ["country"]
    search_fields = ["name", "code"]


@admin.register(Organisation, site=site)
class OrganisationAdmin(ScopedChoicesAdmin):
    list_display = ["name", "type", "country", "org_number"]
    list_filter = ["type", "country"]
    search_fields = ["name"]


@admin.register(User, site=site)
class UserAdmin(ScopedChoicesAdmin):
    """Staff of the programmes one manages; participants' accounts are not listed here (their
    identity is read only through the logged reveal on the pages)."""

    list_display = ["email", "full_name", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined", "is_superuser", "is_staff"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        staff = Membership.objects.filter(programme__in=_managed(request)).exclude(
            role=Role.PARTICIPANT
        )
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=staff.values("user"))
            .exclude(pk__in=Membership.objects.filter(role=Role.PARTICIPANT).values("user"))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AuditEntry, site=site)
class AuditEntryAdmin(ProgrammeScopedAdmin):
    list_display = ["at", "actor_label", "role", "action", "object_type", "object_label"]
    list_filter = ["action"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
