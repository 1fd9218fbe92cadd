from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view, require
from samvirke.participants import selectors, services
from samvirke.participants.forms import ParticipantForm, RevealIdentityForm, StaffConsentForm
from samvirke.participants.models import Consent, ConsentMethod, ConsentPurpose, Participant
from samvirke.programmes.models import Subproject
from samvirke.web.forms import parse_id
from samvirke.web.views import render_form


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
            "q": q,
            "subproject": subproject,
            "subprojects": Subproject.objects.filter(programme=access.programme).only("id", "name"),
            "may_create": access.can(Perm.PARTICIPANT_CREATE),
        },
    )


@programme_view(Perm.PARTICIPANT_CREATE)
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = ParticipantForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        participant = services.register_participant(
            actor=access.user,
            request=request,
            form=form,
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
            "access_log": selectors.access_log_of(participant)[:10],
        },
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def participant_identity(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_IDENTITY, participant)
    form = RevealIdentityForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "participants/detail.html",
            {
                "participant": participant,
                "consents": selectors.consents_of(participant),
                "reveal_form": form,
                "consent_form": StaffConsentForm(programme=access.programme),
                "may_edit": access.can(Perm.PARTICIPANT_EDIT, participant),
                "access_log": selectors.access_log_of(participant)[:10],
            },
            status=400,
        )
    identity = services.reveal_identity(
        actor=access.user,
        request=request,
        participant=participant,
        purpose=form.cleaned_data["purpose"],
    )
    return render(
        request, "participants/identity.html", {"participant": participant, "identity": identity}
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = _participant(access, public_id)
    require(access, Perm.PARTICIPANT_EDIT, participant)
    if request.method == "POST":
        form = ParticipantForm(request.POST, programme=access.programme, instance=participant)
        if form.is_valid():
            services.update_participant(
                actor=access.user,
                request=request,
                form=form,
                identity=services.identity_from(form.cleaned_data),
            )
            messages.success(request, _("The participant is saved."))
            return redirect(participant.get_absolute_url())
    else:
        identity = services.reveal_identity(
            actor=access.user, request=request, participant=participant, purpose=_("editing")
        )
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
    return render_form(
        request,
        form,
        title=_("Edit %(pseudonym)s") % {"pseudonym": participant.pseudonym},
        cancel_url=participant.get_absolute_url(),
    )


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
                actor=access.user,
                request=request,
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
    services.withdraw_consent(actor=access.user, request=request, consent=consent)
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
        request, "participants/me.html", {"participant": participant, "consent_rows": rows}
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
            actor=access.user,
            request=request,
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
    services.withdraw_consent(actor=access.user, request=request, consent=consent)
    messages.success(request, _("Your consent is withdrawn. It takes effect at once."))
    return redirect(reverse("participants:me", args=[access.programme.slug]))


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_access_log(request: HttpRequest, access: Access) -> HttpResponse:
    participant = _own_record(access)
    page = Paginator(selectors.access_log_of(participant).select_related("actor"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "participants/access_log.html", {"page": page})
