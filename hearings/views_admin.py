""" "Log a hearing": one page that records a hearing with its decisions, the custody changes
it caused and the fair-trial checklist answered at it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.forms import CitationForm
from core.admin import VISIBILITY_PERMISSION, waiting_message
from core.error_summary import form_error_links
from core.visibility import Visibility
from fairtrial.forms import HearingChecklist
from fairtrial.services import AnswerRejected, hearing_log_with_answers
from hearings.forms import NO_CUSTODY_CHANGE, DefendantOutcomeForm, LogHearingForm
from hearings.prompts import prompt_case_status

REQUIRED_PERMISSIONS = (
    "hearings.add_hearing",
    "hearings.add_decision",
    "defendants.add_custodyperiod",
)
ANSWER_PERMISSION = "fairtrial.add_answer"


def draft_key(request, case):
    """Where the page's draft is kept in the browser (static/js/log-draft.js): one per person
    and case, so a shared phone never offers one monitor another's notes."""
    return f"log-hearing-draft-{request.user.pk}-{case.pk}"


def log_hearing(request, model_admin, case):
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    can_set_visibility = request.user.has_perm(VISIBILITY_PERMISSION)
    defendants = [link.defendant for link in case.parties.select_related("defendant")]
    data = request.POST if request.method == "POST" else None

    form = LogHearingForm(data, case=case, can_set_visibility=can_set_visibility)
    form.fields["court"].required = True
    # Nothing is logged without its source (#14): a document's paragraph or an observation.
    citation_form = CitationForm(data, prefix="cite", user=request.user)
    outcome_forms = [
        DefendantOutcomeForm(data, prefix=f"d{d.pk}", defendant=d, case=case) for d in defendants
    ]
    # The fair-trial checklist, for each defendant, if this person may record answers.
    checklist = HearingChecklist(
        data,
        defendants=defendants if request.user.has_perm(ANSWER_PERMISSION) else [],
        can_set_visibility=can_set_visibility,
    )

    forms_valid = [form.is_valid(), citation_form.is_valid(), checklist.is_valid()]
    forms_valid += [f.is_valid() for f in outcome_forms]
    if data is not None and all(forms_valid):
        hearing = form.save(commit=False)
        court = form.cleaned_data["court"]
        decisions = []
        custody = []
        for outcome in outcome_forms:
            decision = outcome.decision(court)
            if decision is not None:
                decisions.append((decision, list(outcome.cleaned_data["charges"])))
            kind = outcome.cleaned_data.get("custody")
            if kind != NO_CUSTODY_CHANGE:
                custody.append((outcome.defendant, kind))
        visibility = form.cleaned_data.get("visibility", Visibility.MONITORS)
        try:
            _hearing, _decisions, pending, answers = hearing_log_with_answers(
                answers=checklist.answers(),
                case=case,
                hearing=hearing,
                decisions=decisions,
                custody_changes=custody,
                visibility=visibility,
                citation=citation_form.citation,
                reason=citation_form.cleaned_data.get("reason", ""),
                user=request.user,
            )
        except AnswerRejected as error:
            checklist.form_for(error.answer).add_model_error(error)
            form.add_error(None, _("An answer of the checklist needs correcting: see below."))
        except ValidationError as error:
            # The service validates the decisions and custody periods it builds; their
            # fields are not on this form, so their messages are shown above it.
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _(
                    "Hearing of %(when)s logged with %(decisions)d decision(s), "
                    "%(custody)d custody change(s) and %(answers)d checklist answer(s)."
                )
                % {
                    "when": hearing.when,
                    "decisions": len(decisions),
                    "custody": len(custody),
                    "answers": len(answers),
                },
                # The saved page tells the browser to throw the draft away (log-draft.js);
                # a page with errors does not, so the draft survives a failed save.
                extra_tags=f"log-draft-saved {draft_key(request, case)}",
            )
            if pending:
                messages.warning(request, waiting_message(len(pending)))
            if decisions:
                prompt_case_status(request, case)
            return redirect("admin:cases_case_change", case.pk)

    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Log a hearing"),
        "subtitle": case.title,
        "case": case,
        "opts": model_admin.model._meta,
        "form": form,
        "citation_form": citation_form,
        "outcome_forms": outcome_forms,
        "checklist": checklist,
        "error_links": error_links(form, citation_form, outcome_forms, checklist),
        "draft_key": draft_key(request, case),
        "can_set_visibility": can_set_visibility,
    }
    return TemplateResponse(request, "admin/hearings/log_hearing.html", context)


def error_links(form, citation_form, outcome_forms, checklist):
    """The error summary of a failed save: a link to every field in error, on the hearing's
    form, its source, each person's decision and custody, and each checklist answer."""
    links = form_error_links(form, "", "#the-hearing")
    links += form_error_links(citation_form, _("Source"), "#the-source")
    for outcome in outcome_forms:
        links += form_error_links(outcome, str(outcome.defendant), f"#outcome-{outcome.prefix}")
    for answer in checklist.forms:
        right = Truncator(answer.item.localised_text).words(8)
        where = _("%(person)s, %(right)s") % {"person": answer.defendant, "right": right}
        links += form_error_links(answer, where, f"#answer-{answer.prefix}")
    return links
