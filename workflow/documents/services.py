"""Issuing a document: its number (文号) is allocated once, under a lock on the issuing office,
so two documents issued at the same moment never share a number."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from config import timesource
from config.fsm import Conflict
from departments.models import Organisation
from workflow.documents.models import IssuedDocument


def issuing_office(organisation=None) -> Organisation:
    """The office that issues: the given organisation if it is the office, else the office."""
    if organisation is not None and organisation.kind == Organisation.Kind.OFFICE:
        return organisation
    return Organisation.objects.filter(kind=Organisation.Kind.OFFICE).order_by("pk").first()


@transaction.atomic
def document_issue(
    *, kind: str, case, office=None, by=None, session=None, sign_off=None
) -> IssuedDocument:
    """The document of a session's minutes or of a sign-off's rules, numbered on first issue.

    Issuing again returns the same document with the same number."""
    source = {"session": session} if session is not None else {"sign_off": sign_off}
    existing = IssuedDocument.objects.filter(**source).first() if any(source.values()) else None
    if existing is not None:
        return existing
    office = issuing_office(office)
    # The office's row is the lock that serialises the serials of its year.
    Organisation.objects.select_for_update().filter(pk=office.pk).first()
    issued_on = timesource.today()
    last = IssuedDocument.objects.filter(office=office, year=issued_on.year).aggregate(
        last=Max("serial")
    )["last"]
    return IssuedDocument.objects.create(
        kind=kind,
        office=office,
        year=issued_on.year,
        serial=(last or 0) + 1,
        issued_on=issued_on,
        case=case,
        session=session,
        sign_off=sign_off,
        issued_by=by,
    )


def minutes_document(*, session) -> IssuedDocument:
    """The minutes of a session that has ended (concluded or adjourned) as an issued document,
    numbered the first time it is asked for and signed by its convener's office."""
    from workflow.sessions.models import JointSession

    ended = (JointSession.Status.CONCLUDED, JointSession.Status.ADJOURNED)
    if session.status not in ended:
        raise Conflict(_("会议形成决议或休会后才能印发会议纪要。"), code="invalid_state")
    return document_issue(
        kind=IssuedDocument.Kind.MINUTES,
        case=session.case,
        office=session.convener.organisation,
        by=session.convener,
        session=session,
    )


def rules_document(case) -> IssuedDocument:
    """The document of the case's latest issued rules (signed off by the office leader)."""
    document = (
        IssuedDocument.objects.filter(case=case, kind=IssuedDocument.Kind.RULES)
        .select_related("office", "issued_by")
        .order_by("-pk")
        .first()
    )
    if document is None:
        raise Conflict(_("实施细则经领导签批发布后才能下载公文。"), code="invalid_state")
    return document
