"""Addresses reporters link to: a rule's documentation page, a file in a commit on GitHub."""

from __future__ import annotations

from urllib.parse import quote

from roadworthy import lazyre
from roadworthy.findings import RuleInfo
from roadworthy.records import NamedTuple

RULE_URI = "https://roadworthy.dev/rules/{code}"
_REPOSITORY = lazyre.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_COMMIT = lazyre.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_SERVER = lazyre.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]+)?")


def help_uri(rule: RuleInfo) -> str | None:
    """The policy's ``help_url``; else roadworthy's page for its own rules (the ``RW`` prefix is
    reserved for them); none for a custom rule without one."""
    if rule.help_url:
        return rule.help_url
    if rule.code.startswith("RW"):
        return RULE_URI.format(code=rule.code)
    return None


class Source(NamedTuple):
    """Where the checked files can be read on GitHub: the server, ``owner/name`` and the commit."""

    server: str
    repository: str
    commit: str

    @classmethod
    def of(cls, server: str | None, repository: str | None, commit: str | None) -> Source | None:
        """None unless all three look as GitHub gives them (nothing else reaches a link)."""
        server = (server or "https://github.com").rstrip("/")
        if not (repository and commit and _REPOSITORY.fullmatch(repository)):
            return None
        if not (_COMMIT.fullmatch(commit) and _SERVER.fullmatch(server)):
            return None
        return cls(server, repository, commit)

    def blob(self, path: str, line: int = 0) -> str:
        """The file at the commit, at ``line`` when one is given."""
        anchor = f"#L{line}" if line > 0 else ""
        return f"{self.server}/{self.repository}/blob/{self.commit}/{quote(path)}{anchor}"


def markdown_destination(url: str) -> str:
    """A URL safe as a Markdown link destination: no space, parenthesis or angle bracket."""
    return quote(url, safe=":/?#@!$&'*+,;=%-._~[]")
