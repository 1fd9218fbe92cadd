from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenturesConfig(AppConfig):
    name = "samvirke.ventures"
    label = "ventures"
    verbose_name = _("Social enterprises")

    def ready(self) -> None:
        from samvirke.accounts.permissions import register
        from samvirke.ventures.permissions import RULES

        register(RULES, app=self.label)
