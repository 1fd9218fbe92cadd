from __future__ import annotations

from typing import TypeVar

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.accounts.permissions import (
    Access,
    Perm,
    programme_view,
    require,
    signed_in_view,
    subprojects_editable_by,
)
from samvirke.audit.actor import Actor
from samvirke.imports.template import FORMATS, template_file
from samvirke.lib.fuzzy import MAX_QUERY_LENGTH, normalise
from samvirke.mapping import imports, resource_maps
from samvirke.mapping.forms import (
    EducationFormSet,
    MappingForm,
    WorkFormSet,
    answers_from,
    initial_from,
)
from samvirke.mapping.models import (
    FilledBy,
    ImportBatch,
    ImportStatus,
    Interest,
    Language,
    LifeDomain,
    Mapping,
    Rater,
    Skill,
    content_language,
)
from samvirke.mapping.selectors import MIN_QUERY_LENGTH, mappings_of, search_occupations
from samvirke.mapping.services import MappingConsentError, log_mapping_read, record_mapping
from samvirke.participants.models import ConsentPurpose, Participant
from samvirke.participants.selectors import (
    has_active_consent,
    own_participant,
    participant_for,
    participants_followed_by,
)
from samvirke.web.forms import parse_id
from samvirke.web.reveal import reveal_asked

M = TypeVar("M", bound=Model)

OCCUPATION_OPTIONS_SHOWN = 10


@signed_in_view
@require_GET
def occupation_search(request: HttpRequest) -> HttpResponse:
    """Type-ahead options for a job title field: the typed text as ``q``."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    language = content_language()
    matches = search_occupations(query, language, limit=OCCUPATION_OPTIONS_SHOWN)
    return render(
        request,
        "mapping/_occupation_options.html",
        {
            "matches": matches,
            "searched": len(normalise(query)) >= MIN_QUERY_LENGTH,
            # Beside the label in the user's language: the other country's classification.
            "show_styrk": language != Language.NORWEGIAN,
            "show_ssyk": language != Language.SWEDISH,
        },
    )


def _followed_participant(access: Access, public_id: str, perm: Perm) -> Participant:
    participant = participant_for(access, public_id)
    if participant is None:
        raise Http404
    require(access, perm, participant)
    return participant


def _own_record(access: Access) -> Participant:
    participant = own_participant(access)
    if participant is None:
        raise Http404
    return participant


def _chosen_version(versions: list[Mapping], request: HttpRequest) -> Mapping | None:
    wanted = request.GET.get("version", "")
    for version in versions:
        if str(version.public_id) == wanted:
            return version
    return versions[0] if versions else None


def _life_rows(mapping: Mapping | None) -> list[dict[str, object]]:
    """One row per life domain with the participant's and the guide's rating side by side."""
    ratings = {(r.domain, r.rater): r for r in mapping.life_situation.all()} if mapping else {}
    return [
        {
            "label": label,
            "self": ratings.get((domain, Rater.SELF)),
            "guide": ratings.get((domain, Rater.GUIDE)),
        }
        for domain, label in LifeDomain.choices
    ]


def _mapping_page(
    request: HttpRequest, access: Access, participant: Participant, *, own: bool
) -> HttpResponse:
    versions = list(mappings_of(participant))
    mapping = _chosen_version(versions, request)
    # Staff read someone's mapping through the explicit reveal (a POST), which is logged.
    shown = own or reveal_asked(request, "mapping")
    if mapping is not None and not own and shown:
        log_mapping_read(actor=Actor.of(request), participant=participant, mapping=mapping)
    return render(
        request,
        "mapping/mapping.html",
        {
            "participant": participant,
            "versions": versions,
            "mapping": mapping,
            "shown": shown,
            "life_rows": _life_rows(mapping) if shown else [],
            "own": own,
            "consented": has_active_consent(participant, ConsentPurpose.FOLLOW_UP),
            "new_url": reverse("mapping:my_new", args=[access.programme.slug])
            if own
            else reverse("mapping:new", args=[access.programme.slug, participant.public_id]),
        },
    )


def _mapping_form(
    request: HttpRequest,
    access: Access,
    participant: Participant,
    *,
    own: bool,
    done_url: str,
) -> HttpResponse:
    actor = Actor.of(request)
    raters = (Rater.SELF,) if own else (Rater.SELF, Rater.GUIDE)
    previous = mappings_of(participant).first()
    consented = has_active_consent(participant, ConsentPurpose.FOLLOW_UP)
    # The participant's own form starts from her current mapping. Staff open an empty form and
    # start from the current mapping through the explicit reveal (a POST), which is logged.
    revealed = not own and reveal_asked(request, "mapping")
    started = previous is not None and (own or revealed)
    main_initial, work_initial, education_initial = initial_from(previous if started else None)
    if revealed and previous is not None and consented:
        log_mapping_read(actor=Actor.of(request), participant=participant, mapping=previous)
    if request.method == "POST" and not revealed:
        form = MappingForm(request.POST, raters=raters, ask_date=not own, initial=main_initial)
        work = WorkFormSet(request.POST, prefix="work", initial=work_initial)
        education = EducationFormSet(request.POST, prefix="education", initial=education_initial)
        if consented and form.is_valid() and work.is_valid() and education.is_valid():
            try:
                record_mapping(
                    actor=actor,
                    participant=participant,
                    filled_by=FilledBy.SELF if own else FilledBy.WITH_GUIDE,
                    filled_on=form.cleaned_data.get("filled_on") or timezone.localdate(),
                    answers=answers_from(form, work, education),
                )
            except MappingConsentError as exc:
                messages.error(request, str(exc))
                return redirect(done_url)
            messages.success(
                request,
                _("Thank you. Your mapping is saved.") if own else _("The mapping is saved."),
            )
            return redirect(done_url)
        status = 400
    else:
        form = MappingForm(raters=raters, ask_date=not own, initial=main_initial)
        work = WorkFormSet(prefix="work", initial=work_initial)
        education = EducationFormSet(prefix="education", initial=education_initial)
        status = 200
    return render(
        request,
        "mapping/mapping_form.html",
        {
            "participant": participant,
            "form": form,
            "work": work,
            "education": education,
            "own": own,
            "consented": consented,
            "previous": previous,
            "started": started,
            "cancel_url": done_url,
            "life_groups": [
                (rater, label, form.life_fields(rater))
                for rater, label in Rater.choices
                if rater in raters
            ],
            "has_errors": status == 400,
        },
        status=status,
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def participant_mapping(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _followed_participant(access, public_id, Perm.MAPPING_VIEW)
    return _mapping_page(request, access, participant, own=False)


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def mapping_new(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _followed_participant(access, public_id, Perm.MAPPING_RECORD)
    done_url = reverse("mapping:participant", args=[access.programme.slug, participant.public_id])
    return _mapping_form(request, access, participant, own=False, done_url=done_url)


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_mapping(request: HttpRequest, access: Access) -> HttpResponse:
    return _mapping_page(request, access, _own_record(access), own=True)


@programme_view(Perm.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_mapping_new(request: HttpRequest, access: Access) -> HttpResponse:
    done_url = reverse("mapping:mine", args=[access.programme.slug])
    return _mapping_form(request, access, _own_record(access), own=True, done_url=done_url)


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_GET
def team_candidates(request: HttpRequest, access: Access) -> HttpResponse:
    """The people behind an enterprise opportunity whom the viewer follows and who have said
    yes to being considered for enterprise teams."""
    interest = request.GET.get("interest", "")
    skill = request.GET.get("skill", "")
    skill_obj = Skill.objects.filter(code=skill[:40]).first()
    if interest not in Interest.values or skill_obj is None:
        raise Http404
    people = resource_maps.team_candidates(
        participants_followed_by(access), interest=interest, skill=skill_obj.code
    )
    return render(
        request,
        "mapping/team_candidates.html",
        {
            "people": people,
            "interest": Interest(interest).label,
            "skill": skill_obj.label,
        },
    )


def _chosen(options: list[M], asked: str) -> M | None:
    """The option whose id was asked for; None for none, a bad id or one not openable."""
    pk = parse_id(asked)
    return next((option for option in options if option.pk == pk), None) if pk else None


@programme_view(Perm.RESOURCE_MAP_VIEW)
@require_GET
def resource_map(request: HttpRequest, access: Access) -> HttpResponse:
    programme = access.programme
    openable_subprojects, openable_organisations = resource_maps.openable_filters(access)
    # read once: the filter's options, and the one asked for among them
    subprojects = list(openable_subprojects.order_by("name", "pk"))
    organisations = list(openable_organisations.order_by("name", "pk"))
    subproject = _chosen(subprojects, request.GET.get("subproject", ""))
    organisation = _chosen(organisations, request.GET.get("organisation", ""))
    scope = resource_maps.Scope(
        programme=programme, subproject=subproject, organisation=organisation
    )
    return render(
        request,
        "mapping/resource_map.html",
        {
            "resource_map": resource_maps.resource_map(scope),
            "scope": scope,
            "note": resource_maps.RESOURCE_MAP_NOTE,
            "subprojects": subprojects,
            "organisations": organisations,
        },
    )


# --- Importing a member survey ----------------------------------------------------------------


@programme_view(Perm.PARTICIPANTS_IMPORT)
@require_GET
def member_import_template(request: HttpRequest, access: Access) -> HttpResponse:
    """An empty member-survey file whose headers Samvirke recognises, in the user's language."""
    columns = imports.MEMBER_COLUMNS
    fmt = request.GET.get("format")
    return template_file(
        name=str(_("member-survey-template")),
        header=[columns.label(target) for target in columns.targets],
        fmt=fmt if fmt in FORMATS else "csv",
    )


@programme_view(Perm.PARTICIPANTS_IMPORT)
@require_http_methods(["GET", "POST"])
def member_import(request: HttpRequest, access: Access) -> HttpResponse:
    """Step 1: upload the file and say which subproject its members belong to."""
    form = imports.ImportUploadForm(
        request.POST or None, request.FILES or None, subprojects=subprojects_editable_by(access)
    )
    if request.method == "POST" and form.is_valid():
        subproject = form.cleaned_data["subproject"]
        require(access, Perm.PARTICIPANTS_IMPORT, subproject)
        batch = imports.create_batch(
            actor=access.user,
            programme=access.programme,
            subproject=subproject,
            country=form.cleaned_data["country"],
            filename=form.cleaned_data["file"].name or "",
            content=form.content,
        )
        return redirect("mapping:import_batch", access.programme.slug, batch.public_id)
    return render(
        request,
        "mapping/import_upload.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _import_batch(access: Access, public_id: str) -> ImportBatch:
    """Only the person who uploaded a file sees it again (it holds personal data)."""
    batch = imports.batch_uploaded_by(access.user, access.programme, public_id)
    if batch is None:
        raise Http404
    require(access, Perm.PARTICIPANTS_IMPORT, batch.subproject)
    return batch


@programme_view(Perm.PARTICIPANTS_IMPORT)
@require_http_methods(["GET", "POST"])
def member_import_batch(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """Step 2 and 3: choose what each column holds, check the rows, and import them."""
    batch = _import_batch(access, public_id)
    here = reverse("mapping:import_batch", args=[access.programme.slug, batch.public_id])
    context: dict[str, object] = {
        "batch": batch,
        "upload_url": reverse("mapping:import", args=[access.programme.slug]),
        "columns_help": _(
            "Samvirke has guessed from the column names. The member id is required. Several "
            "job titles, skills, interests, goals or resources in one cell are separated by "
            "semicolons; skills, interests, goals and resources can be given as codes or as "
            "their names in Norwegian, Swedish or English."
        ),
    }
    if batch.status == ImportStatus.IMPORTED:
        if request.method == "POST":
            return redirect(here)
        context["summary"] = imports.summary_of(batch.counts)
        context["participants_url"] = (
            reverse("participants:list", args=[access.programme.slug])
            + f"?subproject={batch.subproject_id}"
        )
        return render(request, "mapping/import_done.html", context)
    try:
        table = imports.read_table(bytes(batch.content))
    except imports.ImportFileError:
        messages.error(request, _("The uploaded file is no longer kept. Upload it again."))
        return redirect("mapping:import", access.programme.slug)
    status = 200
    outcome: imports.ImportOutcome | None = None
    problem = ""
    if request.method == "POST":
        form = imports.ImportColumnsForm(request.POST, headers=table.headers)
        if form.is_valid():
            try:
                outcome = imports.import_members(
                    actor=Actor.of(request),
                    batch=batch,
                    columns=form.columns(),
                    dry_run=request.POST.get("action") != "import",
                )
            except (imports.ImportFileError, imports.ImportWriteError) as exc:
                problem = str(exc)
            except IntegrityError:
                problem = _("Someone imported some of these members at the same time. Try again.")
            if outcome is not None and outcome.imported:
                messages.success(request, _("The members are imported."))
                return redirect(here)
        if problem or not form.is_valid() or (outcome is not None and not outcome.ok):
            status = 400
    else:
        form = imports.ImportColumnsForm(
            headers=table.headers,
            initial={
                imports.column_field_name(index): target
                for index, target in enumerate(
                    batch.columns or imports.guess_columns(table.headers)
                )
            },
        )
    context.update(
        {
            "form": form,
            "columns": form.preview(table),
            "row_count": len(table.rows),
            "outcome": outcome,
            "errors": outcome.errors[: imports.MAX_ERRORS_SHOWN] if outcome else [],
            "problem": problem,
        }
    )
    return render(request, "mapping/import_batch.html", context, status=status)
