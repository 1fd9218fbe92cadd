from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "samvirke.measures"
    label = "measures"
    verbose_name = _("Measures and the service map")

    def ready(self) -> None:
        from samvirke.accounts.permissions import register
        from samvirke.measures.permissions import RULES

        register(RULES, app=self.label)
