from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "samvirke.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from samvirke.accounts.permissions import register
        from samvirke.evaluation.permissions import RULES

        register(RULES, app=self.label)
