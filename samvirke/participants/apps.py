from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "samvirke.participants"
    label = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from samvirke.accounts.permissions import register
        from samvirke.participants.permissions import RULES

        register(RULES, app=self.label)
