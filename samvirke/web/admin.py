"""The Django admin, for superusers only, under the same permission rules as the pages.

A superuser sees in the admin only the programmes they lead or coordinate (and the shared
reference data: municipalities and organisations). The audit log is read-only here too.
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

from samvirke.accounts.models import Membership, User
from samvirke.accounts.permissions import programmes_managed_by
from samvirke.accounts.services import sign_out
from samvirke.activities.models import Action, Activity
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
        sign_out(request=request)  # audited, like every other sign-out
        messages.info(request, _("You have signed out."))
        return redirect("accounts:login")


site = SamvirkeAdminSite(name="admin")


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
            actor=request.user,  # type: ignore[arg-type]
            request=request,
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


class ProgrammeScopedAdmin(AuditedAdmin):
    programme_path = "programme"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        managed = programmes_managed_by(request.user)  # type: ignore[arg-type]
        lookup = f"{self.programme_path}__in" if self.programme_path else "pk__in"
        return super().get_queryset(request).filter(**{lookup: managed})

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


@admin.register(Municipality, site=site)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["name", "code", "country", "county"]
    list_filter = ["country"]
    search_fields = ["name", "code"]


@admin.register(Organisation, site=site)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "type", "country", "org_number"]
    list_filter = ["type", "country"]
    search_fields = ["name"]


@admin.register(User, site=site)
class UserAdmin(AuditedAdmin):
    list_display = ["email", "full_name", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(AuditEntry, site=site)
class AuditEntryAdmin(ProgrammeScopedAdmin):
    list_display = ["at", "actor_label", "role", "action", "object_type", "object_label"]
    list_filter = ["action"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
