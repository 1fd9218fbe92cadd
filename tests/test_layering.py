"""The walls ARCHITECTURE.md draws between the apps, read from every module's imports.

The apps are found in the package tree, so a new app is held to the same walls without anyone
adding it here. (import-linter would need each app named in a contract; this reads the tree.)
- ``samvirke.lib`` holds helpers that need no Django app: it imports nothing else of Samvirke.
- No app imports another app's views: what two apps share lives in services, selectors, forms
  or the web app's page layouts (``samvirke.web.pages``), never in a view.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "samvirke"
APPS = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """Every module ``path`` imports (at the top or inside a function), absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            yield node.lineno, target
            for alias in node.names:  # "from samvirke.x import views"
                yield node.lineno, f"{target}.{alias.name}"


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "samvirke" and parts[1] in APPS else None


def sources(app: str) -> list[Path]:
    return sorted(p for p in (PACKAGE / app).rglob("*.py") if "migrations" not in p.parts)


def is_views(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and parts[2] == "views"


def test_the_walls_know_the_apps() -> None:
    assert {"accounts", "lib", "measures", "web"} <= set(APPS)


def test_lib_imports_no_samvirke_app() -> None:
    crossings = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        for path in sources("lib")
        for line, target in imports_of(path)
        if target.startswith("samvirke") and app_of(target) not in (None, "lib")
    ]
    assert crossings == []


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_another_apps_views(app: str) -> None:
    crossings = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        for path in sources(app)
        for line, target in imports_of(path)
        if is_views(target) and app_of(target) not in (None, app)
    ]
    assert crossings == []


# ``samvirke.demo`` may import every app; no app imports it, but for the command that loads it.
DEMO_LOADERS = {"web/management/commands/demo.py"}


@pytest.mark.parametrize("app", [app for app in APPS if app != "demo"])
def test_no_app_imports_the_demo(app: str) -> None:
    crossings = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        for path in sources(app)
        if str(path.relative_to(PACKAGE).as_posix()) not in DEMO_LOADERS
        for line, target in imports_of(path)
        if app_of(target) == "demo"
    ]
    assert crossings == []


def test_the_demo_command_is_the_one_place_outside_the_demo_that_imports_it() -> None:
    importers = {
        str(path.relative_to(PACKAGE).as_posix())
        for app in APPS
        if app != "demo"
        for path in sources(app)
        if any(app_of(target) == "demo" for _, target in imports_of(path))
    }
    assert importers == DEMO_LOADERS


def status_literals(path: Path) -> Iterator[tuple[int, str]]:
    """``x.status == "held"`` or ``filter(status="held")``: a status spelt as a bare string."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute):
            if node.left.attr == "status":
                for right in node.comparators:
                    if isinstance(right, ast.Constant) and isinstance(right.value, str):
                        yield node.lineno, right.value
        if isinstance(node, ast.Call) and not is_q(node):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg in ("status", "status__in") and isinstance(value, ast.Constant):
                    if not isinstance(value.value, str):
                        continue  # an HTTP status code
                    yield node.lineno, str(keyword.value.value)


def is_q(node: ast.Call) -> bool:
    """``Q(status="waiting")`` in a model's constraint is frozen into a migration as written."""
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "Q") or (
        isinstance(func, ast.Attribute) and func.attr == "Q"
    )


def test_statuses_are_named_by_their_enum_not_spelt_as_strings() -> None:
    # given every module outside the migrations
    modules = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    # when
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line} status {value!r}"
        for path in modules
        for line, value in status_literals(path)
    ]
    # then
    assert found == []


# Function-level imports of Samvirke modules that must stay inside the function, each with the
# cycle that forces it (every other import was moved to the top of its module, and a new one
# fails here until it moves or names its reason). ``AppConfig.ready`` imports are always allowed:
# Django runs them once the apps are loaded.
DEFERRED_IMPORTS: dict[tuple[str, str], str] = {
    ("accounts/permissions.py", "samvirke.audit.services"): "audit.services imports accounts",
    ("accounts/services.py", "samvirke.participants.services"): "participants imports accounts",
    ("accounts/tasks.py", "samvirke.accounts.services"): "services enqueue these tasks",
    ("audit/actor.py", "samvirke.audit.services"): "audit.services imports Actor",
    ("evaluation/analysis_tasks.py", "samvirke.evaluation.analysis_services"): "it enqueues",
    ("evaluation/export_jobs.py", "samvirke.evaluation.export_tasks"): "the tasks run the jobs",
    ("evaluation/safety_services.py", "samvirke.evaluation.tasks"): "tasks import services",
    ("mapping/imports/writing.py", "samvirke.mapping.tasks"): "tasks import the writer",
    ("participants/services.py", "samvirke.participants.sign_in"): "sign_in imports services",
    ("programmes/views.py", "samvirke.activities.models"): "activities import programmes",
    ("programmes/views.py", "samvirke.activities.selectors"): "activities import programmes",
    ("ventures/tasks.py", "samvirke.ventures.services"): "services enqueue the task",
}


def deferred_imports(path: Path) -> Iterator[tuple[int, str]]:
    """``from samvirke… import …`` inside a function, but not in an ``AppConfig.ready``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "ready":
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                    "samvirke"
                ):
                    yield inner.lineno, str(inner.module)


def test_imports_are_at_the_top_unless_a_cycle_is_named() -> None:
    # given every module outside the migrations
    modules = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    # when
    found = {
        (str(path.relative_to(PACKAGE)), module): line
        for path in modules
        for line, module in deferred_imports(path)
    }
    # then
    unexplained = sorted(
        f"{where}:{found[(where, m)]} {m}"
        for where, m in found
        if (where, m) not in DEFERRED_IMPORTS
    )
    assert unexplained == []
    assert set(DEFERRED_IMPORTS) <= set(found), "these no longer need to be deferred"


# Services and selectors take data and an Actor (``samvirke.audit.actor``), never a request: a
# view builds ``Actor.of(request)`` once, a task or an import ``Actor.of_user(...)``. Outside the
# view layer, only these functions hold a request, each for the reason given.
VIEW_LAYER_MODULES = {"views.py", "urls.py", "middleware.py", "context_processors.py", "admin.py"}
REQUEST_BOUND: dict[tuple[str, str], str] = {
    ("accounts/http.py", "*"): "the session half of signing in, and where e-mailed links point",
    ("accounts/permissions.py", "require"): "the views' permission check; a refusal is logged",
    ("accounts/permissions.py", "_second_factor_redirect"): "programme_view's redirect",
    ("accounts/permissions.py", "wrapper"): "programme_view and signed_in_view, the decorators",
    ("accounts/throttle.py", "axes_username"): "django-axes asks it of the request",
    ("accounts/throttle.py", "has_pass"): "the throttle's pass is a cookie",
    ("accounts/throttle.py", "wait_before_sign_in"): "the throttle counts by the request",
    ("audit/actor.py", "of"): "where a view turns its request into an Actor",
    ("audit/services.py", "client_ip"): "reads a request's address (also for django-axes)",
    ("imports/steps.py", "import_page"): "the upload, check and confirm page of every import",
    ("web/pages.py", "render_form"): "renders a form page",
    ("web/reveal.py", "reveal_asked"): "reads a page's reveal button from the POST",
}


def is_view_layer(path: Path) -> bool:
    return (
        path.name in VIEW_LAYER_MODULES
        or path.name.endswith("_views.py")
        or "views" in path.relative_to(PACKAGE).parts[:-1]
    )


def functions_taking_a_request(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            if "request" in [argument.arg for argument in arguments]:
                yield node.lineno, node.name


def test_services_take_an_actor_not_a_request() -> None:
    # given every module outside the view layer and the migrations
    modules = [
        p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts and not is_view_layer(p)
    ]
    # when
    found = {
        (str(path.relative_to(PACKAGE)), name): line
        for path in modules
        for line, name in functions_taking_a_request(path)
    }
    # then
    unexplained = sorted(
        f"{where}:{line} {name}"
        for (where, name), line in found.items()
        if (where, name) not in REQUEST_BOUND and (where, "*") not in REQUEST_BOUND
    )
    assert unexplained == []
    named = {key for key in REQUEST_BOUND if key[1] != "*"}
    assert named <= set(found), "these no longer take a request"
