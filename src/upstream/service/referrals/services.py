"""The operations on referrals and episodes. Views and the API call these; nothing else
changes an episode's status.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.deletion import ProtectedError
from django.db.models.functions import RowNumber
from django.utils import timezone

from upstream.service import concurrency
from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.concurrency import StaleRecord
from upstream.service.notifications import services as notifications
from upstream.service.people.models import Person
from upstream.service.people.services import match_person
from upstream.service.referrals.children import CHILD_FIELDS
from upstream.service.referrals.models import (
    BreakGlass,
    Episode,
    EpisodeTransition,
    Identity,
    Referral,
    RejectReason,
    TriageOutcome,
    Urgency,
)
from upstream.service.referrals.states import CASELOAD, OPEN, TERMINAL, Status, check_transition
from upstream.standards import nhs_number


class StaleEpisode(StaleRecord):
    """Someone else saved this episode since it was loaded: the save was refused."""

    message = (
        "This episode was changed by someone else while you were editing it. "
        "Your changes have not been saved: reload the page to see theirs, then apply yours."
    )

    @property
    def episode_id(self) -> int:
        return self.record_id


def bump_version(episode: Episode, expected_version: int | None) -> None:
    """Advance ``episode.version`` in the database, refusing with ``StaleEpisode`` if it is not
    ``expected_version`` (``concurrency.bump_version``: one check-and-increment UPDATE).
    ``expected_version=None`` means the caller holds no stale copy (e.g. a system action).
    """
    concurrency.bump_version(episode, expected_version, stale=StaleEpisode)


@transaction.atomic
def transition(episode: Episode, to: Status | str, *, by=None, by_label: str = "",
               reason: str = "", expected_version: int | None = None) -> Episode:
    """Move ``episode`` to status ``to``, recording who, when and why.

    Raises ``StaleEpisode`` when ``expected_version`` is given and no longer current (checked
    first: a stale page is the real problem), and ``IllegalTransition`` for a move the state
    machine forbids, and ``IdentityNotConfirmed`` while a referral on the episode awaits
    identity. Sets the timestamps that belong
    to the new status (waiting_since, allocated_at, closed_at).
    """
    current = Episode.objects.select_for_update().get(pk=episode.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEpisode(episode.pk, expected_version, current.version)
    check_identity_confirmed(current)
    new = check_transition(current.status, to)
    bump_version(episode, expected_version)
    now = timezone.now()
    fields = {"status": new.value, "status_reason": reason[:300]}
    if new == Status.WAITING:
        fields["waiting_since"] = now
    if new == Status.ALLOCATED:
        fields["allocated_at"] = now
    if new not in OPEN:
        fields["closed_at"] = now
    Episode.objects.filter(pk=episode.pk).update(**fields)
    for name, value in fields.items():
        setattr(episode, name, value)
    EpisodeTransition.objects.create(
        episode=episode, from_status=current.status, to_status=new.value, at=now,
        by=by if getattr(by, "is_authenticated", False) else None,
        by_label=by_label or (by.get_username() if by is not None else ""), reason=reason[:300],
    )
    record(by, Action.TRANSITION, episode, detail=f"{current.status}->{new.value}",
           actor_label=by_label)
    if new in TERMINAL and current.status != Status.REFERRED:
        # Endings at triage are told by the triage notification (``triage``).
        notifications.support_ended(episode, reason or new.label)
    return episode


def open_episode_for(person, team) -> Episode | None:
    """The person's open episode in ``team``, if any (used for duplicate detection)."""
    return Episode.objects.filter(person=person, team=team).open().first()


@transaction.atomic
def submit_referral(*, person, team, source: str, needs: list[str], reason: str = "",
                    urgency: str = "routine", consent_given: bool, referrer=None,
                    referrer_name: str = "", referrer_contact: str = "",
                    external_system: str = "", external_id: str = "",
                    received_at=None, referred_as: dict | None = None,
                    identity_candidate=None, child_details: dict | None = None) -> Referral:
    """Record a referral for a saved ``person`` into ``team``.

    If the person already has an open episode in that team the referral is linked to it and
    marked ``is_duplicate`` (no second episode); otherwise a new episode opens as 'referred'.
    The database allows one open episode per person per team: when a concurrent referral
    opens it first, this one is linked to the episode that won.

    ``referred_as`` holds the person's details as the referrer gave them (Person field names;
    defaults to ``person``'s); referrer-facing pages show only these. ``identity_candidate`` is
    the stored person a partial match found (``people.services.match_person``): the referral is
    then flagged identity to confirm for the team lead (``resolve_identity``).
    ``child_details`` holds a child's parent or carer, safeguarding and consent answers
    (``children.CHILD_FIELDS``), already checked by the form or the API.
    """
    received_at = received_at or timezone.now()
    episode = open_episode_for(person, team)
    if episode is None:
        try:
            with transaction.atomic():
                episode = Episode.objects.create(person=person, team=team,
                                                 status=Status.REFERRED, opened_at=received_at)
        except IntegrityError:
            episode = open_episode_for(person, team)
            if episode is None:
                raise
            is_duplicate = True
        else:
            is_duplicate = False
            EpisodeTransition.objects.create(
                episode=episode, from_status="", to_status=Status.REFERRED, at=received_at,
                by=referrer,
                by_label=external_system or (referrer.get_username() if referrer else ""),
                reason="referral received",
            )
    else:
        is_duplicate = True
    typed = referred_as or {
        "given_name": person.given_name, "family_name": person.family_name,
        "date_of_birth": person.date_of_birth, "nhs_number": person.nhs_number,
    }
    referral = Referral.objects.create(
        person=person, team=team, episode=episode, source=source, needs=list(needs),
        reason=reason, urgency=urgency, consent_given=consent_given, referrer=referrer,
        referrer_name=referrer_name or (referrer.display_name if referrer else ""),
        referrer_contact=referrer_contact, external_system=external_system,
        external_id=external_id, is_duplicate=is_duplicate,
        received_at=received_at,
        referred_given_name=typed.get("given_name") or "",
        referred_family_name=typed.get("family_name") or "",
        referred_date_of_birth=typed.get("date_of_birth"),
        referred_nhs_number=nhs_number.normalise(typed.get("nhs_number") or ""),
        identity=Identity.TO_CONFIRM if identity_candidate else Identity.CONFIRMED,
        identity_candidate=identity_candidate,
        **{name: value for name, value in (child_details or {}).items()
           if name in CHILD_FIELDS and value is not None},
    )
    detail = "linked to open episode" if is_duplicate else "new episode"
    record(referrer, Action.CREATE, referral, actor_label=external_system,
           detail=detail + ("; identity to confirm" if identity_candidate else ""))
    return referral


def refer_person(details: dict, *, team, by=None, actor_label: str = "",
                 **referral) -> Referral:
    """Match or create the person in ``details`` (``people.services.match_person``) and
    submit a referral for them to ``team``; ``referral`` holds ``submit_referral``'s other
    arguments. The one way a referral is received from what someone typed or sent, so every
    route (the web form, the API, case finding) flags a partial match the same way."""
    match = match_person(details, by=by, actor_label=actor_label)
    return submit_referral(person=match.person, team=team, referred_as=details,
                           identity_candidate=match.conflict, **referral)


# --- Identity to confirm ---------------------------------------------------------------------

class IdentityNotConfirmed(ValueError):
    """The referral's person is not yet confirmed: triage and status changes wait for it."""

    def __init__(self):
        super().__init__(
            "The identity of this person must be confirmed by a team lead before the referral "
            "can be triaged: the NHS number given matches a record with a different date of "
            "birth or family name."
        )


class IdentityError(ValueError):
    """An identity decision that cannot be recorded as given."""


def check_identity_confirmed(episode: Episode) -> None:
    """Raise ``IdentityNotConfirmed`` if a referral on ``episode`` awaits identity."""
    if episode.referrals.filter(identity=Identity.TO_CONFIRM).exists():
        raise IdentityNotConfirmed()


def _claim(referral: Referral, outcome: str, by) -> None:
    """Stamp the decision on ``referral`` if it still awaits one (one UPDATE, so two leads
    deciding at once cannot both succeed)."""
    stamped = Referral.objects.filter(pk=referral.pk, identity=Identity.TO_CONFIRM).update(
        identity=outcome, identity_resolved_by=by, identity_resolved_at=timezone.now())
    if stamped != 1:
        raise IdentityError("Someone has already confirmed this person's identity.")
    record(by, Action.CHANGE, referral, detail=f"identity:{outcome}")


@transaction.atomic
def link_identity(referral: Referral, *, by) -> Referral:
    """The typed person is the stored candidate: move the referral (and its episode, or onto
    the candidate's open episode in the team) to the candidate and discard the typed record
    when nothing else refers to it."""
    candidate = referral.identity_candidate
    if candidate is None:
        raise IdentityError("The existing record is no longer there to link to.")
    _claim(referral, Identity.LINKED, by)
    typed, episode = referral.person, referral.episode
    existing = open_episode_for(candidate, referral.team)
    if existing is not None:
        Referral.objects.filter(pk=referral.pk).update(
            person=candidate, episode=existing, is_duplicate=True)
        _discard(episode, by=by)
    else:
        Referral.objects.filter(pk=referral.pk).update(person=candidate)
        Episode.objects.filter(pk=episode.pk).update(person=candidate)
    try:
        with transaction.atomic():
            typed.delete()
    except ProtectedError:
        pass  # the typed record holds other referrals or work: it stays, unlinked
    else:
        record(by, Action.CHANGE, record_type="people.person", record_id=str(typed.pk),
               detail="identity:linked; typed record discarded")
    referral.refresh_from_db()
    return referral


def _discard(episode: Episode, *, by) -> None:
    """Remove an episode opened only for a referral that now joins another episode; if work was
    recorded on it, close it instead."""
    try:
        with transaction.atomic():
            episode.delete()
    except ProtectedError:
        transition(episode, Status.CLOSED, by=by,
                   reason="identity confirmed: joined the person's open episode")


@transaction.atomic
def correct_identity(referral: Referral, *, by, nhs_number_value: str = "") -> Referral:
    """The typed NHS number was wrong: the typed record stays apart from the candidate and
    takes ``nhs_number_value`` (validated) if one is given, else stays without an NHS number."""
    number = nhs_number.normalise(nhs_number_value or "")
    if number and (problem := nhs_number.validation_error(number)):
        raise IdentityError(f"NHS number: {problem}")
    if number and Person.objects.filter(nhs_number=number).exclude(
            pk=referral.person_id).exists():
        raise IdentityError("NHS number: another record already has this NHS number. "
                            "Check it with the referrer.")
    _claim(referral, Identity.CORRECTED, by)
    person = referral.person
    person.nhs_number = number or None
    person.full_clean()
    Person.objects.filter(pk=person.pk).update(nhs_number=person.nhs_number)
    record(by, Action.CHANGE, person, detail="fields:nhs_number")
    referral.refresh_from_db()
    return referral


@transaction.atomic
def keep_identity_apart(referral: Referral, *, by) -> Referral:
    """Different people: the typed record stays apart, without an NHS number."""
    _claim(referral, Identity.KEPT_APART, by)
    referral.refresh_from_db()
    return referral


# --- Break-glass -------------------------------------------------------------------------------

class ReasonRequired(ValueError):
    """Opening another team's history needs a reason."""


def other_team_episodes(person, user):
    """``person``'s episodes outside ``user``'s teams."""
    return Episode.objects.filter(person=person).exclude(team__in=user.teams.all())


def active_break_glass(person, user) -> BreakGlass | None:
    """The user's current opening of ``person``'s history, if one has not expired."""
    return BreakGlass.objects.filter(person=person, user=user,
                                     expires_at__gt=timezone.now()).first()


def break_glass(person, *, by, reason: str) -> BreakGlass:
    """Open ``person``'s history with other teams for ``by`` for ``BreakGlass.LASTS``,
    recording ``reason`` (required, kept on the ``BreakGlass`` row) and an audit event."""
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise ReasonRequired(
            "Reason for viewing: say why you need this person's history with other services "
            "(at least 10 characters)")
    now = timezone.now()
    opening = BreakGlass.objects.create(user=by, person=person, reason=reason[:500],
                                        opened_at=now, expires_at=now + BreakGlass.LASTS)
    record(by, Action.VIEW, person, detail=f"break-glass:{opening.pk}")
    return opening


# --- Caseloads and allocation ------------------------------------------------------------

CASELOAD_ROLES = (Role.LINK_WORKER,)
"""Roles whose members hold a caseload and can be allocated episodes."""


class CaseloadFull(Exception):
    """The chosen worker already holds as many episodes as their team allows."""

    def __init__(self, worker, count: int, limit: int):
        super().__init__(
            f"{worker.display_name}'s caseload is full ({count} of {limit}). "
            "The person stays on the waiting list until someone has space."
        )
        self.worker, self.count, self.limit = worker, count, limit


class NotATeamWorker(ValueError):
    """The chosen worker is not a link worker in the episode's team."""

    def __init__(self, worker, team):
        super().__init__(f"{worker.display_name} is not a link worker in {team.name}.")


def caseload_count(worker) -> int:
    """How many episodes ``worker`` holds now (statuses in ``states.CASELOAD``, any team)."""
    return Episode.objects.filter(worker=worker, status__in=[s.value for s in CASELOAD]).count()


@dataclass(frozen=True)
class WorkerLoad:
    worker: object
    count: int
    limit: int

    @property
    def is_full(self) -> bool:
        return self.count >= self.limit


def team_workers(team):
    """The team's members who hold a caseload, by name."""
    return team.members.filter(role__in=CASELOAD_ROLES, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def caseload_counts(team) -> list[WorkerLoad]:
    """Each worker in ``team`` with their caseload count and the team's limit."""
    return [WorkerLoad(w, caseload_count(w), team.caseload_limit) for w in team_workers(team)]


class OverrideRefused(ValueError):
    """A caseload override that is not allowed: only a team lead, only for an urgent referral,
    and only with a reason."""


def is_urgent(episode: Episode) -> bool:
    """Whether any referral on ``episode`` is urgent."""
    return episode.referrals.filter(urgency=Urgency.URGENT).exists()


def check_override(episode: Episode, *, by, reason: str) -> str:
    """The cleaned override ``reason``, or ``OverrideRefused`` saying why it cannot be used."""
    reason = " ".join((reason or "").split())
    if getattr(by, "role", None) != Role.TEAM_LEAD:
        raise OverrideRefused("Only a team lead can allocate over a full caseload.")
    if not is_urgent(episode):
        raise OverrideRefused(
            "A full caseload can be overridden only for an urgent referral: this one is routine.")
    if len(reason) < 10:
        raise OverrideRefused(
            "Reason for overriding the caseload limit: say why this urgent case cannot wait "
            "(at least 10 characters)")
    return reason[:500]


def allocate(episode: Episode, worker, *, by, expected_version: int | None = None,
             override_reason: str = "") -> Episode:
    """Give ``episode`` (accepted or waiting) to ``worker``, within the team's caseload limit.

    ``override_reason``: a team lead may allocate an urgent referral to a worker whose
    caseload is full, giving the reason (``check_override``; ``OverrideRefused`` otherwise,
    before anything changes). The reason is kept on the episode and in the status history,
    and the override is audited (``caseload-override``). Without a reason a full caseload is
    refused as below.

    Raises ``NotATeamWorker`` if ``worker`` is not a link worker in the episode's team, and
    ``CaseloadFull`` when the worker is at the limit: the episode is then put on (or stays on)
    the waiting list, and that move is saved. ``StaleEpisode`` and ``IllegalTransition`` as for
    ``transition``. Allocations to one worker are serialised by locking the worker's row, so
    two concurrent allocations cannot both take the last place.
    """
    if not team_workers(episode.team).filter(pk=worker.pk).exists():
        raise NotATeamWorker(worker, episode.team)
    if override_reason:
        override_reason = check_override(episode, by=by, reason=override_reason)
    limit = episode.team.caseload_limit
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=worker.pk).first()
        count = caseload_count(worker)
        if count < limit or override_reason:
            over = count >= limit
            why = f"allocated to {worker.display_name}"
            if over:
                why += f" over a full caseload ({count} of {limit}): {override_reason}"
            transition(episode, Status.ALLOCATED, by=by, expected_version=expected_version,
                       reason=why)
            fields = {"worker": worker}
            if over:
                fields["caseload_override_reason"] = override_reason
                record(by, Action.CHANGE, episode, detail=f"caseload-override:{count}/{limit}")
            Episode.objects.filter(pk=episode.pk).update(**fields)
            for name, value in fields.items():
                setattr(episode, name, value)
            notifications.allocated(episode, worker)
            return episode
    if episode.status != Status.WAITING:
        put_on_waiting_list(episode, by=by, reason="worker's caseload full",
                            expected_version=expected_version)
    raise CaseloadFull(worker, count, limit)


@transaction.atomic
def put_on_waiting_list(episode: Episode, *, by, reason: str = "",
                        expected_version: int | None = None) -> Episode:
    """Move ``episode`` to the waiting list (from accepted, or back from allocated), clearing
    its worker. The waiting clock (``waiting_since``) starts now."""
    transition(episode, Status.WAITING, by=by, reason=reason, expected_version=expected_version)
    Episode.objects.filter(pk=episode.pk).update(worker=None)
    episode.worker = None
    return episode


@dataclass(frozen=True)
class WaitingEntry:
    episode: Episode
    urgent: bool
    waiting_days: int


def waiting_queryset(teams) -> QuerySet:
    """Waiting episodes in ``teams``, each annotated with ``urgent`` (an urgent referral) and
    ``position``: its place in its team's allocation order, urgent referrals first, then
    whoever was referred longest ago. The waiting clock starts at referral (the episode's
    ``opened_at``, when its first referral was received), not when triage put it on the list.
    """
    urgent = Referral.objects.filter(episode=OuterRef("pk"), urgency=Urgency.URGENT)
    return (
        Episode.objects.filter(team__in=teams, status=Status.WAITING)
        .annotate(urgent=Exists(urgent))
        .annotate(position=Window(RowNumber(), partition_by=[F("team_id")],
                                  order_by=[F("urgent").desc(), F("opened_at").asc(),
                                            F("pk").asc()]))
        .select_related("person", "team")
    )


def waiting_days(episode: Episode, today: date | None = None) -> int:
    """Whole days from referral (``opened_at``) to ``today``."""
    return ((today or timezone.localdate()) - timezone.localdate(episode.opened_at)).days


def waiting_list(team, *, today: date | None = None) -> list[WaitingEntry]:
    """The team's waiting list in the order people should be allocated (``waiting_queryset``).
    ``waiting_days`` counts whole days from referral to ``today``."""
    episodes = waiting_queryset([team]).order_by("position")
    return [WaitingEntry(e, e.urgent, waiting_days(e, today)) for e in episodes]


# --- Triage --------------------------------------------------------------------------------

REJECTION_STATUS = {
    RejectReason.NOT_SUITABLE: Status.NOT_SUITABLE,
    RejectReason.DECLINED: Status.DECLINED,
    RejectReason.DECEASED: Status.DECEASED,
}
"""Where a rejected referral's episode ends; any other reason closes it with the reason."""


class TriageError(ValueError):
    """The triage decision cannot be recorded as given (missing reason, already triaged...)."""


@dataclass
class TriageResult:
    referral: Referral
    redirected: Referral | None = None
    caseload_full: CaseloadFull | None = None
    moved_episode: bool = False


@transaction.atomic
def triage(referral: Referral, outcome: str, *, by, reject_reason: str = "", note: str = "",
           redirect_to=None, worker=None, expected_version: int | None = None,
           reject_detail: str = "", override_reason: str = "") -> TriageResult:
    """Record the triage decision on ``referral`` and move its episode accordingly.

    - accept: the episode moves referred -> accepted, then to ``worker`` if one is given (within
      the caseload limit; when full the result carries ``caseload_full`` and the person waits),
      otherwise onto the waiting list.
    - reject (``reject_reason`` required; "other" needs ``reject_detail``, the reason in words,
      which the referrer sees): the episode closes as not suitable, declined or deceased, or
      as closed with the reason (out of area, duplicate, other).
    - redirect (``redirect_to``, another team, required): the episode closes here and a new
      referral with the same details is submitted to ``redirect_to`` (``result.redirected``).

    The episode moves only while it is still 'referred'; a referral linked to an episode that
    is already further on (a duplicate), or a duplicate rejected while the original awaits
    triage, just records the decision. Raises ``TriageError`` for an incomplete decision or a
    referral someone has already triaged, ``StaleEpisode`` if ``expected_version`` is stale.
    ``override_reason`` is passed to ``allocate`` (urgent referrals, team leads only). The
    referrer is notified of the decision (``notifications.triage_decided``).
    """
    outcome = TriageOutcome(outcome)
    if referral.identity == Identity.TO_CONFIRM:
        raise TriageError(str(IdentityNotConfirmed()))
    if outcome == TriageOutcome.REJECT and reject_reason not in RejectReason.values:
        raise TriageError("Choose why the referral is not accepted.")
    reject_detail = " ".join((reject_detail or "").split())[:500]
    if (outcome == TriageOutcome.REJECT and reject_reason == RejectReason.OTHER
            and not reject_detail):
        raise TriageError("Say why the referral is not accepted: the referrer will see this.")
    if outcome == TriageOutcome.REDIRECT and (redirect_to is None or redirect_to == referral.team):
        raise TriageError("Choose the team to redirect the referral to.")
    episode = Episode.objects.select_for_update().filter(pk=referral.episode_id).first()
    if episode and expected_version is not None and episode.version != expected_version:
        raise StaleEpisode(episode.pk, expected_version, episode.version)
    stamped = Referral.objects.filter(pk=referral.pk, triage_outcome="").update(
        triage_outcome=outcome.value,
        reject_reason=reject_reason if outcome == TriageOutcome.REJECT else "",
        reject_detail=reject_detail if outcome == TriageOutcome.REJECT else "",
        triage_note=note,
        redirected_to=redirect_to if outcome == TriageOutcome.REDIRECT else None,
        triaged_by=by,
        triaged_at=timezone.now(),
    )
    if stamped != 1:
        raise TriageError("This referral has already been triaged by someone else.")
    referral.refresh_from_db()
    record(by, Action.CHANGE, referral, detail=f"triage:{outcome.value}")
    notifications.triage_decided(referral, triage_words(referral).lower())
    result = TriageResult(referral)
    moves = episode is not None and episode.status == Status.REFERRED and (
        outcome == TriageOutcome.ACCEPT or not referral.is_duplicate
    )
    if outcome == TriageOutcome.REDIRECT:
        result.redirected = _redirect(referral, redirect_to)
    if not moves:
        return result
    result.moved_episode = True
    if outcome == TriageOutcome.ACCEPT:
        transition(episode, Status.TRIAGED, by=by, reason="accepted at triage",
                   expected_version=expected_version)
        if worker is None:
            put_on_waiting_list(episode, by=by, reason="accepted, awaiting allocation")
        else:
            try:
                allocate(episode, worker, by=by, override_reason=override_reason)
            except CaseloadFull as full:
                result.caseload_full = full
    elif outcome == TriageOutcome.REJECT:
        ending = REJECTION_STATUS.get(RejectReason(reject_reason), Status.CLOSED)
        transition(episode, ending, by=by, reason=triage_words(referral).lower(),
                   expected_version=expected_version)
    else:
        transition(episode, Status.CLOSED, by=by, reason=f"redirected to {redirect_to.name}",
                   expected_version=expected_version)
    return result


def triage_words(referral: Referral) -> str:
    """The triage decision as the referrer reads it: "Accepted", "Not accepted: out of area",
    "Not accepted: <the reason in words>" (for other), "Redirected to <team>", or "Awaiting
    triage"."""
    r = referral
    if r.triage_outcome == TriageOutcome.REJECT:
        if r.reject_reason == RejectReason.OTHER and r.reject_detail:
            return f"Not accepted: {r.reject_detail}"
        return f"Not accepted: {r.get_reject_reason_display().lower()}"
    if r.triage_outcome == TriageOutcome.REDIRECT:
        return f"Redirected to {r.redirected_to.name}"
    if r.triage_outcome == TriageOutcome.ACCEPT:
        return "Accepted"
    return "Awaiting triage"


def _redirect(referral: Referral, team) -> Referral:
    """Submit a copy of ``referral`` to ``team``, keeping the original referrer."""
    return submit_referral(
        person=referral.person, team=team, source=referral.source, needs=referral.needs,
        reason=referral.reason, urgency=referral.urgency, consent_given=referral.consent_given,
        referrer=referral.referrer, referrer_name=referral.referrer_name,
        referrer_contact=referral.referrer_contact, external_system=referral.external_system,
        child_details={name: getattr(referral, name) for name in CHILD_FIELDS},
    )
