from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MappingConfig(AppConfig):
    name = "samvirke.mapping"
    label = "mapping"
    verbose_name = _("Resource mapping")

    def ready(self) -> None:
        from samvirke.accounts.permissions import register
        from samvirke.mapping.permissions import RULES

        register(RULES, app=self.label)

        from samvirke.mapping import aggregate_versions

        aggregate_versions.connect()
