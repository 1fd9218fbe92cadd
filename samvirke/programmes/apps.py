from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "samvirke.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from samvirke.accounts.permissions import register
        from samvirke.programmes.permissions import RULES
        from samvirke.programmes.search import register_sqlite_functions

        register(RULES, app=self.label)

        # Not a domain signal: it teaches each new SQLite connection Unicode case folding.
        connection_created.connect(register_sqlite_functions, dispatch_uid="samvirke_casefold")
