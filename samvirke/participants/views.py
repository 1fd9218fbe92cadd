from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.http import base_url_for
from samvirke.accounts.permissions import Access, Perm, programme_view, require
from samvirke.audit.actor import Actor
from samvirke.lib.choices import label_of
from samvirke.lib.urls import address
from samvirke.participants import data_rights, selectors, services, sign_in
from samvirke.participants.forms import (
    ErasureRequestForm,
    OwnDetailsForm,
    ParticipantForm,
    RefuseErasureForm,
    RevealIdentityForm,
    SignInCodeForm,
    StaffConsentForm,
)
from samvirke.participants.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    ErasureRequest,
    Participant,
)
from samvirke.programmes.models import Subproject
from samvirke.web.forms import change_from, parse_id
from samvirke.web.pages import render_form
from samvirke.web.reveal import reveal_asked


def _participant(access: Access, public_id: str) -> Participant:
    participant = selectors.participant_for(access, public_id)
    if participant is None:
        raise Http404
    return participant


def _own_record(access: Access) -> Participant:
    participant = selectors.own_participant(access)
    if participant is None:
        raise Http404
    return participant


def _sign_in_state(access: Access, participant: Participant) -> dict[str, object]:
    """What the self-service panel shows: a confirmation waiting, and what this user may do."""
    waiting = sign_in.pending_confirmation(participant)
    return {
        "confirmation": waiting,
        "code_form": SignInCodeForm() if waiting and sign_in.code_is_fresh(waiting) else None,
        "may_approve": waiting is not None and sign_in.may_approve(access.user, waiting),
    }


@dataclass(frozen=True)
class ListRow:
    """A participant as a row of the list, its cells put together once: a page of 50 rows with
    a loop in each of three cells cost more in the template than the queries behind it."""

    url: str
    pseudonym: str
    subprojects: str
    guides: str
    youth: bool
    consents: list[str]

    @classmethod
    def rows_of(cls, participants: Iterable[Participant], access: Access) -> list[ListRow]:
        listed = list(participants)
        details = selectors.listed_details(listed)
        slug = access.programme.slug
        return [
            cls(
                url=address("participants:detail", slug, participant.public_id),
                pseudonym=participant.pseudonym,
                subprojects=", ".join(details[participant.pk].subprojects) or "—",
                guides=", ".join(str(guide) for guide in details[participant.pk].guides) or "—",
                youth=participant.is_youth,
                consents=[
                    label_of(ConsentPurpose, purpose)
                    for purpose in details[participant.pk].consent_purposes
                ],
            )
            for participant in listed
        ]


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_GET
def participant_list(request: HttpRequest, access: Access) -> HttpResponse:
    subproject = parse_id(request.GET.get("subproject", ""))
    q = request.GET.get("q", "").replace("\x00", "")[:20]
    page = Paginator(selectors.participant_list(access, subproject=subproject, q=q), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participants/list.html",
        {
            "page": page,
            "rows": ListRow.rows_of(page.object_list, access),
            "q": q,
            "subproject": subproject,
            "subprojects": Subproject.objects.filter(programme=access.programme)
            .order_by("name", "pk")
            .values_list("pk", "name"),
            "may_create": access.can(Perm.PARTICIPANT_CREATE),
            "may_import": access.can(Perm.PARTICIPANTS_IMPORT),
            "may_decide_erasure": access.can(Perm.ERASURE_MANAGE),
            "erasure_waiting": selectors.has_waiting_erasure_requests(access),
            "awaiting_approval": selectors.awaiting_sign_in_approval(access),
        },
    )


@programme_view(Perm.PARTICIPANT_CREATE)
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = ParticipantForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        participant = services.register_participant(
            actor=Actor.of(request),
            change=change_from(form),
            identity=services.identity_from(form.cleaned_data),
        )
        messages.success(
            request,
            _("The participant is registered with the pseudonym %(pseudonym)s.")
            % {"pseudonym": participant.pseudonym},
        )
        return redirect(participant.get_absolute_url())
    return render_form(
        request,
        form,
        title=_("Register a participant"),
        cancel_url=reverse("participants:list", args=[access.programme.slug]),
        intro=_(
            "Name and contact details are stored encrypted, apart from everything else. "
            "Everywhere else the participant is known by a pseudonym."
        ),
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_GET
def participant_detail(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_VIEW, participant)
    return render(
        request,
        "participants/detail.html",
        {
            "participant": participant,
            "consents": selectors.consents_of(participant),
            "reveal_form": RevealIdentityForm(),
            "consent_form": StaffConsentForm(
                programme=access.programme, initial={"given_on": timezone.localdate()}
            ),
            "may_edit": access.can(Perm.PARTICIPANT_EDIT, participant),
            "may_see_mapping": access.can(Perm.MAPPING_VIEW, participant),
            "may_export": access.can(Perm.PARTICIPANT_EXPORT, participant),
            "access_log": selectors.access_log_of(participant)[:10],
            **_sign_in_state(access, participant),
        },
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def participant_identity(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_IDENTITY, participant)
    form = RevealIdentityForm(request.POST)
    identity = None
    if form.is_valid():
        try:
            identity = services.reveal_identity(
                actor=Actor.of(request),
                participant=participant,
                purpose=form.cleaned_data["purpose"],
                reason=form.cleaned_data["reason"],
            )
        except services.ConsentError as exc:
            form.add_error("reason", str(exc))
    if identity is None:
        return render(
            request,
            "participants/detail.html",
            {
                "participant": participant,
                "consents": selectors.consents_of(participant),
                "reveal_form": form,
                "consent_form": StaffConsentForm(programme=access.programme),
                "may_edit": access.can(Perm.PARTICIPANT_EDIT, participant),
                "may_see_mapping": access.can(Perm.MAPPING_VIEW, participant),
                "access_log": selectors.access_log_of(participant)[:10],
                **_sign_in_state(access, participant),
            },
            status=400,
        )
    return render(
        request, "participants/identity.html", {"participant": participant, "identity": identity}
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """The record opens without the identity; the explicit reveal (a POST, logged) fills in
    the identity fields. Saved without them, the identity is kept as it is."""
    actor = Actor.of(request)
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_EDIT, participant)
    if reveal_asked(request, "identity"):
        identity = services.reveal_identity(actor=actor, participant=participant, purpose="editing")
        form = ParticipantForm(
            programme=access.programme,
            instance=participant,
            initial={
                "full_name": identity.full_name,
                "email": identity.email,
                "phone": identity.phone,
                "national_id": identity.national_id,
            },
        )
    elif request.method == "POST":
        form = ParticipantForm(
            request.POST,
            programme=access.programme,
            instance=participant,
            with_identity="full_name" in request.POST,
        )
        if form.is_valid():
            services.update_participant(
                actor=actor,
                change=change_from(form),
                identity=services.identity_from(form.cleaned_data) if form.with_identity else None,
            )
            messages.success(request, _("The participant is saved."))
            return redirect(participant.get_absolute_url())
    else:
        form = ParticipantForm(
            programme=access.programme, instance=participant, with_identity=False
        )
    return render_form(
        request,
        form,
        title=_("Edit %(pseudonym)s") % {"pseudonym": participant.pseudonym},
        cancel_url=participant.get_absolute_url(),
        extra=None
        if form.with_identity
        else {
            "reveal_what": "identity",
            "reveal_label": _("Show and edit the name and contact details"),
        },
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def sign_in_access(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_EDIT, participant, request=request)
    try:
        outcome = sign_in.give_sign_in_access(
            actor=Actor.of(request), participant=participant, base_url=base_url_for(request)
        )
    except sign_in.SignInAccessError as exc:
        messages.error(request, str(exc))
        return redirect(participant.get_absolute_url())
    if outcome == sign_in.Outcome.LINK_SENT:
        messages.success(
            request,
            _("A link to sign in is on its way to %(email)s.")
            % {"email": sign_in.confirmed_address(participant)},
        )
    elif outcome == sign_in.Outcome.CODE_SENT:
        messages.success(
            request,
            _(
                "A code is on its way to the participant's earlier sign-in address. Ask the "
                "participant for it and type it in below: only then does sign-in move to the new "
                "address."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "A colleague must approve the address before a sign-in link is sent: a "
                "coordinator, or another contact person or guide who follows the participant, "
                "on this page."
            ),
        )
    return redirect(participant.get_absolute_url())


def _signed_in_at_last(request: HttpRequest, participant: Participant) -> None:
    messages.success(
        request,
        _("The address is confirmed. A link to sign in is on its way to %(email)s.")
        % {"email": sign_in.confirmed_address(participant)},
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def sign_in_confirm(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_EDIT, participant, request=request)
    form = SignInCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the code the participant gives you."))
        return redirect(participant.get_absolute_url())
    try:
        sign_in.confirm_with_code(
            actor=Actor.of(request),
            participant=participant,
            code=form.cleaned_data["code"],
            base_url=base_url_for(request),
        )
    except sign_in.SignInAccessError as exc:
        messages.error(request, str(exc))
    else:
        _signed_in_at_last(request, participant)
    return redirect(participant.get_absolute_url())


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def sign_in_approve(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_EDIT, participant, request=request)
    try:
        sign_in.approve_sign_in_access(
            actor=Actor.of(request), participant=participant, base_url=base_url_for(request)
        )
    except sign_in.SignInAccessError as exc:
        messages.error(request, str(exc))
    else:
        _signed_in_at_last(request, participant)
    return redirect(participant.get_absolute_url())


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def consent_record(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.CONSENT_RECORD, participant)
    form = StaffConsentForm(request.POST, programme=access.programme)
    if form.is_valid():
        given_on = form.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            messages.error(request, _("A consent cannot be signed in the future."))
            return redirect(participant.get_absolute_url())
        try:
            services.give_consent(
                actor=Actor.of(request),
                participant=participant,
                purpose=form.cleaned_data["purpose"],
                method=ConsentMethod.PAPER,
                partner=form.cleaned_data["partner"],
                given_at=datetime.datetime.combine(
                    given_on, datetime.time(12), tzinfo=timezone.get_current_timezone()
                ),
            )
            messages.success(request, _("The consent is recorded."))
        except services.ConsentError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Choose a purpose and the date the form was signed."))
    return redirect(participant.get_absolute_url())


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def consent_withdraw(request: HttpRequest, access: Access, public_id: str, pk: int) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.CONSENT_RECORD, participant)
    consent = get_object_or_404(Consent, pk=pk, participant=participant)
    services.withdraw_consent(actor=Actor.of(request), consent=consent)
    messages.success(request, _("The consent is withdrawn. It takes effect at once."))
    return redirect(participant.get_absolute_url())


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_page(request: HttpRequest, access: Access) -> HttpResponse:
    participant = _own_record(access)
    consents = {c.purpose: c for c in selectors.consents_of(participant) if c.is_active}
    texts = selectors.current_consent_texts(youth=participant.needs_age_appropriate_consent)
    rows = [
        {
            "purpose": value,
            "label": label,
            "text": texts.get(value),
            "consent": consents.get(value),
        }
        for value, label in ConsentPurpose.choices
        if value != ConsentPurpose.SHARE_PARTNER
    ]
    return render(
        request,
        "participants/me.html",
        {
            "participant": participant,
            "consent_rows": rows,
            "erasure": selectors.latest_erasure_request(participant),
        },
    )


@programme_view(Perm.SELF_SERVICE)
@require_POST
def my_consent_give(request: HttpRequest, access: Access) -> HttpResponse:
    participant = _own_record(access)
    purpose = request.POST.get("purpose", "")
    if purpose not in ConsentPurpose.values or purpose == ConsentPurpose.SHARE_PARTNER:
        messages.error(request, _("Unknown purpose."))
        return redirect(reverse("participants:me", args=[access.programme.slug]))
    try:
        services.give_consent(
            actor=Actor.of(request),
            participant=participant,
            purpose=purpose,
            method=ConsentMethod.SELF,
        )
        messages.success(request, _("Thank you. Your consent is saved."))
    except services.ConsentError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("participants:me", args=[access.programme.slug]))


@programme_view(Perm.SELF_SERVICE)
@require_POST
def my_consent_withdraw(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    participant = _own_record(access)
    consent = get_object_or_404(Consent, pk=pk, participant=participant)
    services.withdraw_consent(actor=Actor.of(request), consent=consent)
    messages.success(request, _("Your consent is withdrawn. It takes effect at once."))
    return redirect(reverse("participants:me", args=[access.programme.slug]))


@programme_view(Perm.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_details(request: HttpRequest, access: Access) -> HttpResponse:
    participant = _own_record(access)
    if request.method == "POST":
        form = OwnDetailsForm(request.POST)
        if form.is_valid():
            try:
                services.update_own_details(
                    actor=Actor.of(request), participant=participant, **form.cleaned_data
                )
            except sign_in.SignInAccessError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(request, _("Thank you. Your details are saved."))
                return redirect(reverse("participants:me", args=[access.programme.slug]))
    else:
        identity = services.own_identity(participant)
        form = OwnDetailsForm(
            initial={
                "full_name": identity.full_name,
                "email": identity.email,
                "phone": identity.phone,
                "languages": participant.languages,
            }
        )
    return render_form(
        request,
        form,
        title=_("My details"),
        cancel_url=reverse("participants:me", args=[access.programme.slug]),
        intro=_("Only those who help you can open these details, and you can see when they do."),
    )


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_access_log(request: HttpRequest, access: Access) -> HttpResponse:
    participant = _own_record(access)
    page = Paginator(selectors.access_log_of(participant).select_related("actor"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "participants/access_log.html", {"page": page})


# --- Export -----------------------------------------------------------------------------------


def _export_page(
    request: HttpRequest, access: Access, participant: Participant, *, own: bool
) -> HttpResponse:
    """The page opens with a button; the explicit reveal (a POST) writes the export entry and
    shows everything held about the participant."""
    shown = reveal_asked(request, "data")
    if shown:
        data_rights.record_export(actor=Actor.of(request), participant=participant, output="html")
    return render(
        request,
        "participants/export.html",
        {
            "participant": participant,
            "data": data_rights.export_participant_data(participant) if shown else None,
            "own": own,
        },
    )


def _export_file(request: HttpRequest, access: Access, participant: Participant) -> HttpResponse:
    """The JSON file, from a POST (the download writes the export entry)."""
    data_rights.record_export(actor=Actor.of(request), participant=participant, output="json")
    response = JsonResponse(
        data_rights.export_participant_data(participant),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="samvirke-{participant.pseudonym}.json"'
    )
    return response


@programme_view(Perm.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest, access: Access) -> HttpResponse:
    return _export_page(request, access, _own_record(access), own=True)


@programme_view(Perm.SELF_SERVICE)
@require_POST
def my_data_file(request: HttpRequest, access: Access) -> HttpResponse:
    return _export_file(request, access, _own_record(access))


@programme_view(Perm.PARTICIPANT_EXPORT)
@require_http_methods(["GET", "POST"])
def participant_export(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_EXPORT, participant)
    return _export_page(request, access, participant, own=False)


@programme_view(Perm.PARTICIPANT_EXPORT)
@require_POST
def participant_export_file(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_EXPORT, participant)
    return _export_file(request, access, participant)


# --- Erasure ----------------------------------------------------------------------------------


@programme_view(Perm.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_erasure(request: HttpRequest, access: Access) -> HttpResponse:
    participant = _own_record(access)
    latest = selectors.latest_erasure_request(participant)
    form = ErasureRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            data_rights.request_erasure(actor=Actor.of(request), participant=participant)
            messages.success(
                request,
                _("We have your request. A coordinator will handle it within one month."),
            )
        except data_rights.ErasureError as exc:
            messages.error(request, str(exc))
        return redirect(reverse("participants:me", args=[access.programme.slug]))
    return render(
        request,
        "participants/erasure_request.html",
        {
            "participant": participant,
            "form": form,
            "waiting": latest is not None and latest.is_open,
            "has_research_consent": selectors.has_active_consent(
                participant, ConsentPurpose.RESEARCH
            ),
        },
        status=400 if form.errors else 200,
    )


def _erasure_queue(
    request: HttpRequest,
    access: Access,
    *,
    bound: tuple[ErasureRequest, RefuseErasureForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = [
        (
            erasure,
            bound[1]
            if bound and bound[0].pk == erasure.pk
            else RefuseErasureForm(prefix=f"refuse-{erasure.pk}"),
        )
        for erasure in selectors.erasure_requests_waiting(access)
    ]
    return render(
        request,
        "participants/erasure_requests.html",
        {"rows": rows, "decided": selectors.erasure_requests_decided(access)},
        status=status,
    )


def _waiting_request(access: Access, public_id: str) -> ErasureRequest:
    erasure = selectors.waiting_erasure_request(access, public_id)
    if erasure is None:
        raise Http404
    require(access, Perm.ERASURE_MANAGE, erasure)
    return erasure


@programme_view(Perm.ERASURE_MANAGE)
@require_GET
def erasure_requests(request: HttpRequest, access: Access) -> HttpResponse:
    return _erasure_queue(request, access)


@programme_view(Perm.ERASURE_MANAGE)
@require_POST
def erasure_confirm(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    erasure = _waiting_request(access, public_id)
    data_rights.erase_participant(actor=Actor.of(request), erasure=erasure)
    messages.success(
        request,
        _("%(pseudonym)s is erased.") % {"pseudonym": erasure.participant.pseudonym},
    )
    return redirect(reverse("participants:erasure_requests", args=[access.programme.slug]))


@programme_view(Perm.ERASURE_MANAGE)
@require_POST
def erasure_refuse(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    erasure = _waiting_request(access, public_id)
    form = RefuseErasureForm(request.POST, prefix=f"refuse-{erasure.pk}")
    if not form.is_valid():
        return _erasure_queue(request, access, bound=(erasure, form), status=400)
    data_rights.refuse_erasure(
        actor=Actor.of(request), erasure=erasure, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        _("The request from %(pseudonym)s is refused.")
        % {"pseudonym": erasure.participant.pseudonym},
    )
    return redirect(reverse("participants:erasure_requests", args=[access.programme.slug]))
