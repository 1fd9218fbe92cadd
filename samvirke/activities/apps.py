from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "samvirke.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from samvirke.accounts.permissions import register
        from samvirke.activities.permissions import RULES

        register(RULES, app=self.label)
