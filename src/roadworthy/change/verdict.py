"""When is a material change approved?

When the ledger has an entry whose digest equals the digest of the material files at the head
(so new bytes make it stale, and an unrelated push does not), whose approvers are enough for the
component's risk, are owners of the component as the *base* revision records them (a change cannot
make its author an owner), and do not include the change's author. Trust then grows with what can
be verified: ``entry`` (the entry is enough; all a commit not yet made can show), ``author`` (the
commit that added the entry was authored by one of its approvers), ``signature`` (that commit's
signature verifies against the base revision's allowed-signers file and names an approver), and
``review`` (an owner's pull-request review of the head commit, given by the GitHub Action).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from roadworthy.change import provenance
from roadworthy.change.ledger import Entry
from roadworthy.records import NamedTuple

VERIFY_ORDER = ("entry", "author", "signature")

# An approving pull-request review: the reviewer's handle, then the CODEOWNERS teams they are in.
Review = tuple[str, ...]


class Requirement(NamedTuple):
    """Owners who must approve, and how many: a component the change took files from."""

    label: str  # "models/credit at the base"
    owners: frozenset[str]  # lower-cased handles
    needed: int


class Request(NamedTuple):
    """Everything an approval is judged against."""

    digest: str
    owners: frozenset[str]  # lower-cased handles; empty with approvers: anyone
    anyone: bool
    needed: int
    authors: frozenset[str]  # lower-cased handles of the change's authors
    people: Mapping[str, tuple[str, ...]]
    verify: str
    ledger_path: str
    # Components the base had that owned files this component now holds (a marker added above
    # them): their owners must approve too, as many as their risk needed.
    inherited: tuple[Requirement, ...] = ()

    def is_owner(self, handle: str) -> bool:
        return (
            self.anyone or handle in self.owners or any(handle in r.owners for r in self.inherited)
        )


class Verdict(NamedTuple):
    approved: bool
    reasons: tuple[str, ...]
    trust: str | None = None
    entry: Entry | None = None


def judge(
    entries: Sequence[Entry],
    request: Request,
    checker: provenance.Checker | None,
    reviews: Collection[Review] = (),
) -> Verdict:
    by_review = _review_verdict(request, reviews)
    if by_review is not None:
        return by_review
    matching = [e for e in entries if e.digest == request.digest]
    if not matching:
        return Verdict(False, (_missing(entries, request),))
    level = request.verify if checker is not None else "entry"
    if level != "entry":
        assert checker is not None
        return _judge_verified(matching, request, checker, level, reviews)
    first_failure: Verdict | None = None
    for entry in reversed(matching):  # the latest approval first
        reasons = _shortfalls(entry.approved_by, request, reviews)
        if not reasons:
            return Verdict(True, (), "entry", entry)
        first_failure = first_failure or Verdict(False, tuple(reasons), entry=entry)
    assert first_failure is not None
    return first_failure


def _missing(entries: Sequence[Entry], request: Request) -> str:
    if not entries:
        return f"no approval: {request.ledger_path} has no entry"
    latest = _stale(entries[-1], request)
    return f"stale approval: the latest, {latest}; approve again after the last change"


def _stale(entry: Entry, request: Request) -> str:
    return (
        f"{entry.describe()}, approved other bytes "
        f"({entry.digest[:19]}…, now {request.digest[:19]}…)"
    )


def _shortfalls(
    approved_by: Sequence[str], request: Request, reviews: Collection[Review] = ()
) -> list[str]:
    """Why these approvers (with the people whose review approved, if any) are not enough:
    strangers, the change's authors, too few. A reviewer who is also in the ledger is one
    person."""
    reasons = _ineligible(approved_by, request)
    approvers = [a.lower() for a in approved_by]
    people = {a: {a} for a in approvers}
    for review in reviews:
        handles = {h.lower() for h in review}
        if review and not handles & set(people):
            people[review[0].lower()] = handles
    counted = {
        person
        for person, handles in people.items()
        if (request.anyone or handles & request.owners) and person not in request.authors
    }
    if len(counted) < request.needed:
        reasons.append(f"too few approvers: {len(counted)} of {request.needed} needed")
    reasons += _inherited_shortfalls(people, request)
    return reasons


def _ineligible(approved_by: Sequence[str], request: Request) -> list[str]:
    """Why some of these approvers count for nobody: strangers, the change's authors."""
    reasons: list[str] = []
    pairs = [(a, a.lower()) for a in approved_by]
    strangers = [a for a, low in pairs if not request.is_owner(low)]
    if strangers:
        shown = ", ".join(sorted(request.owners)) or "none recorded"
        reasons.append(f"approver not an owner: {', '.join(strangers)} (owners: {shown})")
    selves = [a for a, low in pairs if low in request.authors]
    if selves:
        reasons.append(f"self-approval: {', '.join(selves)} authored this change")
    return reasons


class Standing(NamedTuple):
    """One ledger entry as `judge` sees it: it counts when ``reasons`` is empty."""

    entry: Entry
    reasons: tuple[str, ...]


def standings(
    entries: Sequence[Entry], request: Request, checker: provenance.Checker | None
) -> tuple[Standing, ...]:
    """Each entry on its own, by the rules `judge` applies: its digest must be the request's;
    at ``entry`` trust its approvers must be enough by themselves (entries do not add up); above
    it, the approver its commit proves must be an owner and not an author (entries add up, so
    each is judged for who it proves, and `judge` says whether together they are enough)."""
    level = request.verify if checker is not None else "entry"
    out = []
    for entry in entries:
        if entry.digest != request.digest:
            out.append(Standing(entry, (f"stale: {_stale(entry, request)}",)))
        elif level == "entry":
            out.append(Standing(entry, tuple(_shortfalls(entry.approved_by, request))))
        else:
            assert checker is not None
            proof = provenance.prove(checker, request.ledger_path, entry, request.people, level)
            if isinstance(proof, str):
                out.append(Standing(entry, (proof,)))
            else:
                handle = _owner_first(proof.handles, request)
                out.append(Standing(entry, tuple(_ineligible([handle], request))))
    return tuple(out)


def _judge_verified(
    matching: Sequence[Entry],
    request: Request,
    checker: provenance.Checker,
    level: str,
    reviews: Collection[Review] = (),
) -> Verdict:
    """Above ``entry``, an entry vouches only for the approver its commit proves (its author,
    or the signer): a name written into an entry by someone else counts for nothing, so two
    approvers mean two entries, each committed (and signed) by its own approver."""
    proven: dict[str, tuple[str, Entry]] = {}  # person (e-mail) → the handle proven, its entry
    failures: list[str] = []
    for entry in reversed(matching):  # the latest approval first
        proof = provenance.prove(checker, request.ledger_path, entry, request.people, level)
        if isinstance(proof, str):
            failures.append(proof)
        else:
            # One person is one approver, however many handles `people` gives her.
            proven.setdefault(proof.person, (_owner_first(proof.handles, request), entry))
    handles = sorted(handle for handle, _ in proven.values())
    reasons = _shortfalls(handles, request, reviews) if proven else []
    if proven and not reasons:
        return Verdict(True, (), level, min(proven.values())[1])
    if len(proven) == 1 and request.needed > 1:
        reasons.append(
            f"each approver adds their own entry at verify: {level} "
            f"({', '.join(handles)} is proven so far)"
        )
    return Verdict(False, tuple(reasons or failures[:1]), entry=matching[-1])


def _owner_first(handles: Collection[str], request: Request) -> str:
    """The handle a person approves as: one the request counts, if she has one."""
    return min(handles, key=lambda h: (not request.is_owner(h), h))


def _review_verdict(request: Request, reviews: Collection[Review]) -> Verdict | None:
    """An owner's approving review counts once per person, whether she is named herself or
    through CODEOWNERS teams she is in."""
    people = {r[0].lower(): {h.lower() for h in r} for r in reviews if r}
    counted = {
        person
        for person, handles in people.items()
        if (request.anyone or handles & request.owners) and person not in request.authors
    }
    if people and len(counted) >= request.needed and not _inherited_shortfalls(people, request):
        return Verdict(True, (), "review")
    return None


def _inherited_shortfalls(people: Mapping[str, set[str]], request: Request) -> list[str]:
    """``people``: each approver (lower-cased) with the handles they stand for."""
    out = []
    for required in request.inherited:
        counted = {
            person
            for person, handles in people.items()
            if handles & required.owners and person not in request.authors
        }
        if len(counted) < required.needed:
            shown = ", ".join(sorted(required.owners)) or "none recorded"
            out.append(
                f"too few approvers among the owners of {required.label} ({shown}): "
                f"{len(counted)} of {required.needed} needed"
            )
    return out
