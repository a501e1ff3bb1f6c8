"""Who added a ledger entry, and whether their commit is signed: the ``author`` and
``signature`` trust levels.

``git log`` walks the ledger's history, newest first, and each commit's copy of the ledger is
read until one no longer holds the entry; ``git verify-commit`` checks signatures against the
allowed-signers file *of the base revision*, so a change cannot add the key it signs with.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from pathlib import Path

from roadworthy import lazyre
from roadworthy.change.ledger import Entry
from roadworthy.formats import yamlio
from roadworthy.records import NamedTuple
from roadworthy.workspace import git

_NOREPLY = lazyre.compile(
    r"(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]*)@users\.noreply\.github\.com", re.IGNORECASE
)
_GOOD_SIGNATURE = lazyre.compile(r'Good "git" signature for (\S+)')


class Origin(NamedTuple):
    sha: str
    author_email: str
    shallow: bool = False  # a shallow clone's boundary: it may only seem to add the entry


SHALLOW_HINT = "fetch the whole history (`fetch-depth: 0`, or `git fetch --unshallow`)"


def handles_of(email: str, people: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The handles an e-mail address belongs to: the policy's ``people``, and GitHub's
    no-reply addresses (``12345+login@users.noreply.github.com`` is ``@login``)."""
    email = email.strip().lower()
    found = {h.lower() for h, emails in people.items() if email in {e.lower() for e in emails}}
    match = _NOREPLY.fullmatch(email)
    if match:
        found.add(f"@{match[1].lower()}")
    return found


def is_one_of(email: str, handles: Collection[str], people: Mapping[str, tuple[str, ...]]) -> bool:
    return bool(handles_of(email, people) & {h.lower() for h in handles})


def people_behind(handle: str, people: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The people a handle stands for: the e-mail addresses ``people`` gives it (every member
    of a team), or, for a handle it does not map, the one person known only by that handle."""
    low = handle.strip().lower()
    emails = {e.lower() for h, es in people.items() if h.lower() == low for e in es}
    return emails or {low}


def answers_to(person: str, people: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every handle one person (an e-mail address, or a handle ``people`` does not map) answers
    to: her own, and the teams ``people`` puts her in."""
    low = person.strip().lower()
    return handles_of(low, people) | ({low} if low.startswith("@") else set())


def _is_team(handle: str) -> bool:
    return handle.startswith("@") and "/" in handle  # GitHub teams are always @org/team


def identity(person: str, people: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every name one person goes by: her addresses and her own handles (not her teams'),
    followed both ways, so that a no-reply address, a handle and an address CODEOWNERS names
    all lead to the same person."""
    found: set[str] = set()
    todo = [person.strip().lower()]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        if name.startswith("@"):
            if not _is_team(name):
                todo += people_behind(name, people)
        else:
            todo += [h for h in handles_of(name, people) if not _is_team(h)]
    return found


def every_handle(email: str, people: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The handles of the person behind ``email`` by any of her addresses: a commit from her
    no-reply address is still by the teams her other address is on."""
    return {
        h
        for n in identity(email, people)
        for h in ({n} if n.startswith("@") else handles_of(n, people))
    }


def same_people(
    handles: Collection[str], others: Collection[str], people: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """Those of ``handles`` that stand for someone ``others`` also stands for: one person is one
    person, whichever of her handles, addresses or teams each side names her by."""
    theirs = {h.lower() for h in others}
    names = {n for o in theirs for p in people_behind(o, people) for n in identity(p, people)}
    return sorted(
        h
        for h in {h.lower() for h in handles}
        if h in theirs
        or any(
            answers_to(p, people) & theirs or identity(p, people) & names
            for p in people_behind(h, people)
        )
    )


class Proof(NamedTuple):
    """Who the commit that added a ledger entry proves approved it."""

    person: str  # the author's e-mail (verify: author) or the signing principal (signature)
    handles: frozenset[str]  # the entry's approvers (lower-cased) that person is


def prove(
    checker: Checker,
    ledger_path: str,
    entry: Entry,
    people: Mapping[str, tuple[str, ...]],
    level: str,
) -> Proof | str:
    """The proof the commit adding ``entry`` gives at ``level`` (``author`` or ``signature``),
    or why it proves nobody. Approvals and sign-offs are both judged by it."""
    origin = checker.origin(ledger_path, entry)
    if origin is None:
        return f"unverified author: no commit adds {entry.describe()}"
    if origin.shallow:
        # Its parent was not fetched: its diff, and so who added the entry, is unknown.
        return (
            f"unverified author: the history is shallow; commit {origin.sha[:12]} is where the "
            f"clone was cut, so who added {entry.describe()} is unknown: {SHALLOW_HINT}"
        )
    named = {a.lower() for a in entry.approved_by}
    authors = handles_of(origin.author_email, people) & named
    if not authors:
        return (
            f"unverified author: {entry.describe()} was committed by "
            f"{origin.author_email} ({origin.sha[:12]}), not by an approver"
        )
    if level == "author":
        return Proof(origin.author_email.strip().lower(), frozenset(authors))
    signer = checker.signer(origin.sha)
    if signer is None:
        return (
            f"unverified signature: commit {origin.sha[:12]} adding "
            f"{entry.describe()} has no signature the allowed signers accept"
        )
    signers = handles_of(signer, people) & authors
    if not signers:
        return (
            f"unverified signature: commit {origin.sha[:12]} is signed by {signer}, "
            "not by the approver who committed it"
        )
    return Proof(signer.strip().lower(), frozenset(signers))


class Checker:
    def __init__(self, root: Path, head: str, allowed_signers: str | None) -> None:
        self.root = root
        self.head = head
        self.allowed_signers = allowed_signers  # the file's text, from the base revision
        self.boundaries = git.shallow_boundaries(root)

    def origin(self, ledger_path: str, entry: Entry) -> Origin | None:
        """The commit that added ``entry``: the oldest in the ledger's history that holds it."""
        spec = f":(literal){ledger_path}"
        out = git.run(["log", "-z", "--format=%H %ae", self.head, "--", spec], self.root)
        added: Origin | None = None
        for record in out.decode("utf-8", "replace").split("\0"):
            sha, _, email = record.strip().partition(" ")
            if not sha or not self._holds(sha, ledger_path, entry):
                break
            added = Origin(sha, email, sha in self.boundaries)
        return added

    def _holds(self, sha: str, ledger_path: str, entry: Entry) -> bool:
        try:
            text = git.run(["cat-file", "blob", f"{sha}:{ledger_path}"], self.root)
            data = yamlio.load(text.decode("utf-8")).data
        except (git.GitCommandError, UnicodeDecodeError, yamlio.YamlError):
            return False
        position = entry.position
        return isinstance(data, list) and len(data) > position and data[position] == entry.raw

    def signer(self, sha: str) -> str | None:
        """The principal whose allowed key signed ``sha``, or None if it does not verify."""
        if self.allowed_signers is None:
            return None
        import tempfile  # not at the top: shutil, bz2 and lzma come with it

        fd, path = tempfile.mkstemp(prefix="roadworthy-signers-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.allowed_signers)
            args = ["-c", f"gpg.ssh.allowedSignersFile={path}", "verify-commit", "--raw", sha]
            try:
                out = _verify(self.root, args)
            except git.GitCommandError:
                return None
        finally:
            Path(path).unlink(missing_ok=True)
        match = _GOOD_SIGNATURE.search(out)
        return match[1] if match else None


def _verify(root: Path, args: list[str]) -> str:
    proc = git.run_full(args, root)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise git.GitCommandError(args, stderr.strip() or "verification failed")
    return stderr + proc.stdout.decode("utf-8", "replace")
