"""The ventures' documents must never lie where a static handler serves files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_private_files_outside_web_root(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    private = Path(settings.PRIVATE_FILES_DIR).resolve()
    served = [Path(settings.STATIC_ROOT).resolve()]
    if getattr(settings, "MEDIA_ROOT", ""):
        served.append(Path(settings.MEDIA_ROOT).resolve())
    for root in served:
        if private == root or root in private.parents or private in root.parents:
            return [
                Error(
                    f"SAMVIRKE_PRIVATE_DIR ({private}) overlaps {root}, which is served to anyone.",
                    hint="Keep attached documents in a folder of their own, outside the web root.",
                    id="samvirke.E101",
                )
            ]
    return []
