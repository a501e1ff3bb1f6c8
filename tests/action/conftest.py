"""The Action's world in a temporary folder: a pull request in a real repository, the event
payload GitHub writes for it, the files and variables of a job, and a fake GitHub API.

`open_pr` makes what ``actions/checkout`` leaves behind for a ``pull_request`` event: the base
branch ``main``, the contributor's branch with their commits, and a detached test merge commit
(GitHub's ``refs/pull/42/merge``) as the work tree. The payload follows GitHub's documented
``pull_request`` webhook (every field of the pull request, its head and base, the repository, the
organisation and the sender), so the action reads what it would read on GitHub.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from testing.fake_github import FakeGitHub, load, serve_fake_github
from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, base_files

OWNER, REPO, NUMBER = "acme-ml", "credit-scoring", 42
FULL_NAME = f"{OWNER}/{REPO}"
TOKEN = "ghs_Qm9vU2VjcmV0VG9rZW4xMjM0NTY3ODkwYWJjZGVm"
RUN_ID = "11873465510"
REVIEWS = f"/repos/{FULL_NAME}/pulls/{NUMBER}/reviews"
COMMENTS = f"/repos/{FULL_NAME}/issues/{NUMBER}/comments"


@dataclass
class PullRequest:
    repo: GitRepo  # the runner's checkout (GITHUB_WORKSPACE)
    base: str
    head: str
    commits: list[str]
    merge: str  # the test merge commit GitHub makes (refs/pull/42/merge), checked out
    number: int = NUMBER


def open_pr(
    repo: GitRepo,
    *changes: Mapping[str, str | bytes | None],
    base_moves: Mapping[str, str | bytes | None] | None = None,
    author: tuple[str, str] = MALLORY,
) -> PullRequest:
    """Commit ``changes`` one by one on ``feature`` (from ``main``); check out the merge commit."""
    repo.git("checkout", "-q", "-b", "feature", "main")
    commits = []
    for number, files in enumerate(changes, start=1):
        repo.write(files)
        commits.append(repo.commit(f"feature: change {number}", author=author))
    head = repo.head
    repo.git("checkout", "-q", "main")
    if base_moves:
        repo.write(base_moves)
        repo.commit("main moves on")
    base = repo.head
    repo.git("checkout", "-q", "--detach", base)
    repo.git("merge", "-q", "--no-ff", "--no-edit", "-m", f"Merge {head} into {base}", head)
    return PullRequest(repo, base, head, commits, repo.head)


@pytest.fixture()
def credit_main(make_repo: Callable[..., GitRepo]) -> GitRepo:
    """The example component of tests/change, ready on ``main``."""
    return make_repo(base_files(), name="credit-scoring")


# -- GitHub's objects --------------------------------------------------------------------------


def user(login: str, user_id: int, kind: str = "User") -> dict[str, Any]:
    api = f"https://api.github.com/users/{login}"
    return {
        "login": login,
        "id": user_id,
        "node_id": f"MDQ6VXNlcj{user_id}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }


ORG_USER = user(OWNER, 131071234, "Organization")
AUTHOR = user("mallory-dev", 9120045)

_REPO_URLS = {
    "forks_url": "/forks",
    "keys_url": "/keys{/key_id}",
    "collaborators_url": "/collaborators{/collaborator}",
    "teams_url": "/teams",
    "hooks_url": "/hooks",
    "issue_events_url": "/issues/events{/number}",
    "events_url": "/events",
    "assignees_url": "/assignees{/user}",
    "branches_url": "/branches{/branch}",
    "tags_url": "/tags",
    "blobs_url": "/git/blobs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "trees_url": "/git/trees{/sha}",
    "statuses_url": "/statuses/{sha}",
    "languages_url": "/languages",
    "stargazers_url": "/stargazers",
    "contributors_url": "/contributors",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "commits_url": "/commits{/sha}",
    "git_commits_url": "/git/commits{/sha}",
    "comments_url": "/comments{/number}",
    "issue_comment_url": "/issues/comments{/number}",
    "contents_url": "/contents/{+path}",
    "compare_url": "/compare/{base}...{head}",
    "merges_url": "/merges",
    "archive_url": "/{archive_format}{/ref}",
    "downloads_url": "/downloads",
    "issues_url": "/issues{/number}",
    "pulls_url": "/pulls{/number}",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "labels_url": "/labels{/name}",
    "releases_url": "/releases{/id}",
    "deployments_url": "/deployments",
}


def repository() -> dict[str, Any]:
    api = f"https://api.github.com/repos/{FULL_NAME}"
    return {
        "id": 701000042,
        "node_id": "R_kgDOKc1nBg",
        "name": REPO,
        "full_name": FULL_NAME,
        "private": True,
        "owner": ORG_USER,
        "html_url": f"https://github.com/{FULL_NAME}",
        "description": "Credit risk scoring models and their governance artifacts",
        "fork": False,
        "url": api,
        **{key: api + suffix for key, suffix in _REPO_URLS.items()},
        "created_at": "2025-02-03T08:12:44Z",
        "updated_at": "2026-11-20T16:42:09Z",
        "pushed_at": "2026-11-21T09:58:31Z",
        "git_url": f"git://github.com/{FULL_NAME}.git",
        "ssh_url": f"git@github.com:{FULL_NAME}.git",
        "clone_url": f"https://github.com/{FULL_NAME}.git",
        "svn_url": f"https://github.com/{FULL_NAME}",
        "homepage": None,
        "size": 48213,
        "stargazers_count": 3,
        "watchers_count": 3,
        "language": "Python",
        "has_issues": True,
        "has_projects": False,
        "has_downloads": True,
        "has_wiki": False,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": 7,
        "license": None,
        "allow_forking": False,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": ["credit-risk", "mlops"],
        "visibility": "private",
        "forks": 0,
        "open_issues": 7,
        "watchers": 3,
        "default_branch": "main",
    }


def _side(label: str, ref: str, sha: str, owner: dict[str, Any]) -> dict[str, Any]:
    return {"label": label, "ref": ref, "sha": sha, "user": owner, "repo": repository()}


def pull_request_event(pr: PullRequest, action: str = "synchronize") -> dict[str, Any]:
    """A ``pull_request`` webhook payload as GitHub writes it to GITHUB_EVENT_PATH."""
    api = f"https://api.github.com/repos/{FULL_NAME}"
    html = f"https://github.com/{FULL_NAME}/pull/{pr.number}"
    pull = {
        "url": f"{api}/pulls/{pr.number}",
        "id": 2143658790,
        "node_id": "PR_kwDOKc1nBs5_xYz1",
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{api}/issues/{pr.number}",
        "number": pr.number,
        "state": "open",
        "locked": False,
        "title": "Retrain the credit model on 2026-Q3 applications",
        "user": AUTHOR,
        "body": "New weights from the Q3 retrain. Evaluation report attached to CHG-57.",
        "created_at": "2026-11-20T15:03:12Z",
        "updated_at": "2026-11-21T09:58:33Z",
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": pr.merge,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [user("alice", 5812301)],
        "requested_teams": [],
        "labels": [
            {
                "id": 6120045123,
                "node_id": "LA_kwDOKc1nBs8AAAABbMn2Qw",
                "url": f"{api}/labels/model-change",
                "name": "model-change",
                "color": "1d76db",
                "default": False,
                "description": "Changes model weights or training configuration",
            }
        ],
        "milestone": None,
        "draft": False,
        "commits_url": f"{api}/pulls/{pr.number}/commits",
        "review_comments_url": f"{api}/pulls/{pr.number}/comments",
        "review_comment_url": f"{api}/pulls/comments{{/number}}",
        "comments_url": f"{api}/issues/{pr.number}/comments",
        "statuses_url": f"{api}/statuses/{pr.head}",
        "head": _side("acme-ml:feature", "feature", pr.head, ORG_USER),
        "base": _side("acme-ml:main", "main", pr.base, ORG_USER),
        "_links": {
            "self": {"href": f"{api}/pulls/{pr.number}"},
            "html": {"href": html},
            "issue": {"href": f"{api}/issues/{pr.number}"},
            "comments": {"href": f"{api}/issues/{pr.number}/comments"},
            "review_comments": {"href": f"{api}/pulls/{pr.number}/comments"},
            "review_comment": {"href": f"{api}/pulls/comments{{/number}}"},
            "commits": {"href": f"{api}/pulls/{pr.number}/commits"},
            "statuses": {"href": f"{api}/statuses/{pr.head}"},
        },
        "author_association": "MEMBER",
        "auto_merge": None,
        "active_lock_reason": None,
        "merged": False,
        "mergeable": None,
        "rebaseable": None,
        "mergeable_state": "unknown",
        "merged_by": None,
        "comments": 0,
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": len(pr.commits),
        "additions": 12,
        "deletions": 3,
        "changed_files": 2,
    }
    return {
        "action": action,
        "number": pr.number,
        "pull_request": pull,
        **({"before": pr.commits[-2], "after": pr.head} if len(pr.commits) > 1 else {}),
        "repository": repository(),
        "organization": {
            "login": OWNER,
            "id": ORG_USER["id"],
            "node_id": ORG_USER["node_id"],
            "url": f"https://api.github.com/orgs/{OWNER}",
            "repos_url": f"https://api.github.com/orgs/{OWNER}/repos",
            "events_url": f"https://api.github.com/orgs/{OWNER}/events",
            "hooks_url": f"https://api.github.com/orgs/{OWNER}/hooks",
            "issues_url": f"https://api.github.com/orgs/{OWNER}/issues",
            "members_url": f"https://api.github.com/orgs/{OWNER}/members{{/member}}",
            "public_members_url": f"https://api.github.com/orgs/{OWNER}/public_members{{/member}}",
            "avatar_url": ORG_USER["avatar_url"],
            "description": "Machine learning at ACME",
        },
        "sender": AUTHOR,
    }


def push_event(repo: GitRepo) -> dict[str, Any]:
    head = repo.head
    return {
        "ref": "refs/heads/main",
        "before": "0" * 40,
        "after": head,
        "repository": repository(),
        "pusher": {"name": "mallory-dev", "email": "mallory@example.com"},
        "sender": AUTHOR,
        "created": False,
        "deleted": False,
        "forced": False,
        "base_ref": None,
        "compare": f"https://github.com/{FULL_NAME}/compare/{head[:12]}",
        "commits": [],
        "head_commit": None,
    }


def review(login: str, state: str, commit: str, at: str, review_id: int) -> dict[str, Any]:
    """A review object as GitHub lists it, built on the recorded one."""
    item: dict[str, Any] = load("pull-request-reviews.json")[0]
    html = f"https://github.com/{FULL_NAME}/pull/{NUMBER}#pullrequestreview-{review_id}"
    item.update(
        id=review_id,
        user=user(login, 5_800_000 + review_id % 1000),
        state=state,
        commit_id=commit,
        submitted_at=at,
        html_url=html,
        body="Approved for production." if state == "APPROVED" else "Please look again.",
    )
    item["_links"]["html"]["href"] = html
    return item


def member(login: str, user_id: int) -> dict[str, Any]:
    item: dict[str, Any] = load("team-members.json")[0]
    item.update(user(login, user_id))
    return item


def comment(comment_id: int, body: str, login: str = "github-actions[bot]") -> dict[str, Any]:
    item: dict[str, Any] = load("issue-comment.json")
    url = f"https://github.com/{FULL_NAME}/pull/{NUMBER}#issuecomment-{comment_id}"
    item.update(
        id=comment_id,
        body=body,
        html_url=url,
        url=f"https://api.github.com/repos/{FULL_NAME}/issues/comments/{comment_id}",
    )
    item["user"]["login"] = login
    return item


# -- a job ---------------------------------------------------------------------------------------


@dataclass
class Job:
    exit_code: int
    out: str
    err: str
    outputs: dict[str, str]
    summary: str
    sarif: dict[str, Any] | None
    files: dict[str, str] = field(default_factory=dict)  # everything written, for token checks

    @property
    def log(self) -> str:
        return self.out + self.err


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: ``name=value`` or ``name<<DELIMITER`` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            else:
                raise AssertionError(f"unterminated output {name}")
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_ = line.split("=", 1)
            outputs[name] = value_
    return outputs


@pytest.fixture()
def run_action(
    run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., Job]:
    """Run ``roadworthy action`` as the runner would: variables, event file, output files."""
    runs = iter(range(100))

    def run(
        workspace: Path,
        event: dict[str, Any],
        *,
        event_name: str = "pull_request",
        **inputs: str,
    ) -> Job:
        folder = tmp_path / f"runner{next(runs)}"
        folder.mkdir()
        event_path = folder / "event.json"
        event_path.write_text(json.dumps(event, indent=2), encoding="utf-8")
        output, summary = folder / "output.txt", folder / "step_summary.md"
        output.touch()
        summary.touch()
        for key in list(os.environ):
            if key.startswith("INPUT_") or key == "GITHUB_TOKEN":
                monkeypatch.delenv(key)
        env = {
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_REPOSITORY": FULL_NAME,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": RUN_ID,
            "GITHUB_SHA": workspace_head(workspace),
            "RUNNER_TEMP": str(folder),
        }
        env.setdefault("GITHUB_API_URL", os.environ.get("GITHUB_API_URL", "http://127.0.0.1:9"))
        # action.yml's env: block: every input, empty when not given
        defaults = {"sarif-file": "roadworthy.sarif", "summary": "true", "comment": "false"}
        names = ("policy", "mode", "base", "fail-on", "github-token", "category")
        extra = ("working-directory", "paths", "select", "ignore", "as-of")
        for name in (*names, *extra, *defaults):
            value = inputs.pop(name.replace("-", "_"), defaults.get(name, ""))
            env["INPUT_" + name.upper().replace("-", "_")] = value
        assert not inputs, f"unknown inputs {inputs}"
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        result = run_cli("action", cwd=workspace)
        sarif_path = workspace / env["INPUT_SARIF_FILE"]
        files = {"output": output.read_text(encoding="utf-8")}
        files["summary"] = summary.read_text(encoding="utf-8")
        if sarif_path.is_file():
            files["sarif"] = sarif_path.read_text(encoding="utf-8")
        return Job(
            exit_code=result.exit_code,
            out=result.out,
            err=result.err,
            outputs=parse_outputs(files["output"]),
            summary=files["summary"],
            sarif=json.loads(files["sarif"]) if "sarif" in files else None,
            files=files,
        )

    return run


def workspace_head(workspace: Path) -> str:
    return GitRepo(workspace).head if (workspace / ".git").exists() else "0" * 40


@pytest.fixture()
def fake_github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    yield from serve_fake_github(monkeypatch)


def no_token_anywhere(job: Job) -> None:
    assert TOKEN not in job.log
    for name, text in job.files.items():
        assert TOKEN not in text, name
