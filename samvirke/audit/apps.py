from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "samvirke.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from samvirke.accounts.permissions import register
        from samvirke.audit.permissions import RULES

        register(RULES, app=self.label)
