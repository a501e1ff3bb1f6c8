from __future__ import annotations

import io
import os
import stat

import pytest

from roadworthy.errors import WorkspaceError
from roadworthy.workspace.write import write_atomic, write_stream


def test_replaces_a_regular_file_atomically_keeping_its_mode(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left


def test_creates_missing_folders(tmp_path):
    write_atomic(tmp_path / "a" / "b" / "out.json", "{}")
    assert (tmp_path / "a" / "b" / "out.json").read_text() == "{}"


def test_a_symlink_is_followed_and_kept(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_device_is_written_in_place_not_replaced(tmp_path):
    # `--output /dev/null` once turned /dev/null into a regular file: a rename over a device.
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    write_atomic(device, "discarded")
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_new_file_follows_the_umask_not_mkstemps_0600(tmp_path):
    import os
    import stat

    from roadworthy.workspace.write import write_inside

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.sarif", "{}")
        write_inside(tmp_path, "models/APPROVALS.yaml", "[]\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.sarif").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "models/APPROVALS.yaml").stat().st_mode) == 0o644


class _Sipping(io.BytesIO):
    """A buffer that takes at most ``most`` bytes a write, as a blocking write that a signal
    cuts short does (64 KiB of a report when SIGPIPE arrives); 0: it takes nothing."""

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most

    def write(self, data) -> int:  # type: ignore[override]
        return super().write(bytes(data[: self.most]))


class _Stream(io.StringIO):
    def __init__(self, buffer: io.BytesIO) -> None:
        super().__init__()
        self.buffer = buffer


def test_a_write_cut_short_is_written_on_to_the_end() -> None:
    text = "é" * 50_000 + "\udcff end\n"  # a surrogate escape is shown escaped
    sink = _Sipping(4096)
    write_stream(_Stream(sink), text)
    assert sink.getvalue() == text.encode("utf-8", "backslashreplace")


def test_a_stream_that_takes_nothing_is_an_error_not_a_hang() -> None:
    with pytest.raises(WorkspaceError, match="the output could not be written"):
        write_stream(_Stream(_Sipping(0)), "report\n")
