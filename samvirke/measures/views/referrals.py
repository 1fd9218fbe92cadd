"""Referrals across subprojects: the referring side refers and follows the answer, the receiving
measure's staff accept or decline.

Until a referral is accepted the receiving staff know the participant by pseudonym only: their
pages never link to the participant's record, and accepting does not make them followers of it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view, require
from samvirke.audit.actor import Actor
from samvirke.measures import selectors, services
from samvirke.measures.forms import ReferralAnswerForm, ReferralForm
from samvirke.measures.models import EnrolmentStatus, Measure, Referral
from samvirke.participants.models import Participant
from samvirke.participants.selectors import participant_for


def _participant(access: Access, public_id: str) -> Participant:
    participant = participant_for(access, public_id)
    if participant is None:
        raise Http404
    require(access, Perm.REFERRAL_MAKE, participant)
    return participant


def _referrals_url(access: Access, participant: Participant) -> str:
    return reverse("measures:referrals", args=[access.programme.slug, participant.public_id])


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_http_methods(["GET", "POST"])
def participant_referrals(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """Refer the participant to a measure in another subproject, and see the answers."""
    actor = Actor.of(request)
    participant = _participant(access, public_id)
    show_reasons = _reveals(request)
    posted = request.POST if request.method == "POST" and not show_reasons else None
    form = ReferralForm(posted, measures=selectors.referable_measures(participant))
    if posted is not None and form.is_valid():
        try:
            services.refer_participant(
                actor=actor,
                participant=participant,
                measure=form.cleaned_data["measure"],
                reason=form.cleaned_data["reason"],
            )
        except services.ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The referral is sent. The measure's staff will accept or decline it.")
            )
            return redirect(_referrals_url(access, participant))
    referrals = list(selectors.referrals_of_participant(participant))
    if show_reasons:
        services.log_referrals_read(actor=actor, referrals=referrals)
    return render(
        request,
        "measures/referrals.html",
        {
            "participant": participant,
            "form": form,
            "referrals": referrals,
            "show_reasons": show_reasons,
        },
        status=400 if form.is_bound else 200,
    )


def _reveals(request: HttpRequest) -> bool:
    """The reasons (sensitive free text) are shown by an explicit POST, never by a GET, and
    each read is logged."""
    return request.method == "POST" and request.POST.get("reveal") == "reasons"


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_POST
def referral_withdraw(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    referral = selectors.referral_in(access, public_id)
    if not access.can(Perm.REFERRAL_MAKE, referral.participant):
        raise Http404  # the same answer as for a referral that does not exist
    try:
        services.withdraw_referral(actor=Actor.of(request), referral=referral)
    except services.ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The referral is withdrawn."))
    return redirect(_referrals_url(access, referral.participant))


def _incoming_page(
    request: HttpRequest,
    access: Access,
    measure: Measure,
    *,
    failed: Referral | None = None,
    form: ReferralAnswerForm | None = None,
) -> HttpResponse:
    referrals = list(selectors.incoming_referrals(access, measure)[: selectors.INCOMING_SHOWN])
    show_reasons = failed is None and _reveals(request)
    if show_reasons:
        services.log_referrals_read(
            actor=Actor.of(request), referrals=[r for r in referrals if r.is_pending]
        )
    return render(
        request,
        "measures/incoming_referrals.html",
        {
            "measure": measure,
            "referrals": referrals,
            "failed": failed,
            "failed_form": form,
            "show_reasons": show_reasons,
            "may_see_people": access.can(Perm.MEASURE_PEOPLE, measure),
        },
        status=400 if failed is not None else 200,
    )


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def measure_referrals(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """The measure's incoming referrals, for its own staff; a POST shows the reasons."""
    measure = selectors.measure_of(access, pk)
    require(access, Perm.REFERRALS_RECEIVE, measure)
    return _incoming_page(request, access, measure)


@programme_view(Perm.MEASURES_VIEW)
@require_POST
def referral_answer(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    referral = selectors.referral_in(access, public_id)
    if not access.can(Perm.REFERRAL_DECIDE, referral):
        raise Http404  # the same answer as for a referral that does not exist
    measure = referral.measure
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        return _incoming_page(request, access, measure, failed=referral, form=form)
    try:
        if form.cleaned_data["decision"] == ReferralAnswerForm.ACCEPT:
            enrolment = services.accept_referral(
                actor=actor,
                referral=referral,
                start_now=form.cleaned_data["start_now"],
            )
            if enrolment.status == EnrolmentStatus.WAITING:
                messages.info(
                    request,
                    _(
                        "Accepted. Every place is taken: the participant is number %(n)s on the "
                        "waiting list."
                    )
                    % {"n": enrolment.position},
                )
            else:
                messages.success(request, _("Accepted: the participant is enrolled."))
        else:
            services.decline_referral(
                actor=actor,
                referral=referral,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request, _("The referral is declined; the referring side sees your answer.")
            )
    except services.ReferralError as exc:
        form.add_error(None, str(exc))
        return _incoming_page(request, access, measure, failed=referral, form=form)
    return redirect(reverse("measures:measure_referrals", args=[access.programme.slug, measure.pk]))
