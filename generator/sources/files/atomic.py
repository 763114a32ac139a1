"""Replace an output folder or file only when its new content is complete, and never a user's own.

One ownership rule serves every command. A folder is Almanac's when it holds the marker file
:data:`OWNER_MARKER` that Almanac wrote there (a ``sitemap.xml`` proves nothing: every static site has
one); a file is Almanac's when its generated-file marker is the line where Almanac puts it. Anything
else is replaced only with ``--force``, and some things never are: a folder holding ``.git`` (a
checkout: its history and uncommitted work), the home folder, the current folder or the repository
being described (or a folder containing one of them), and anything that is not a regular file, a
symbolic link or a folder (a FIFO would hang the check, a device node is not ours to replace).
``--force`` does not reach through a symbolic link that lies in the repository or the current folder
(a clone can commit ``site`` as a link to anywhere): behind one, only Almanac's own folder is replaced. Names
starting with ``.`` are kept in a replaced folder, as ``mkdocs build`` keeps them (``.nojekyll``,
``.well-known``…).
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from generator.model.errors import AlmanacError

if sys.platform != "win32":
    import fcntl

#: Open flag that refuses a symbolic link (none on Windows, where creating one needs a privilege).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: The file that makes a folder Almanac's; its first line is :data:`_OWNER_LINE`.
OWNER_MARKER = ".almanac-output"
_OWNER_LINE = "This folder was written by Almanac, which replaces it whole on its next run."
#: What ``almanac write`` left in its folders before :data:`OWNER_MARKER`: a marker too, so still ours.
_LEGACY_WRITE_MARKER = ".almanac-write"
_LEGACY_WRITE_TEXT = b"Written by `almanac write`; safe to replace.\n"
#: Files every MkDocs site has: an earlier Almanac took them as proof it had built the folder.
_SITE_FILES = ("sitemap.xml", "search/search_index.json")


@contextmanager
def replaced_folder(target: Path, *, made_by: str, force: bool = False, protected: Iterable[Path] = ()
                    ) -> Iterator[Path]:
    """Yield a new, private sibling of ``target`` to fill; swap it in if the block succeeds.

    ``target`` may be replaced when it is absent, empty (dotfiles aside), marked as Almanac's, or
    ``force`` is set, never when it is or contains one of ``protected`` (nor the home or current
    folder) or holds ``.git``. Each run fills a folder of its own; the swap happens under a lock beside
    ``target``, so of two runs at once each publishes a whole folder and the later one wins. The new
    folder takes the old one's mode and group (a setgid ``2770`` folder stays one) and its dotfiles.
    On failure the temporary folder is removed and ``target`` is exactly as it was.
    """
    described = [Path(place).resolve() for place in protected]
    keep_out = [*_always_protected(), *described]
    link = _link_inside(Path.cwd() / target, [Path.cwd().resolve(), *described])  # not home: the user's links
    target = target.resolve()
    _check_replaceable(target, force, keep_out, link)  # before the work, so a refusal costs nothing
    run_id = secrets.token_hex(6)
    staging = target.with_name(f".{target.name}.almanac-new-{run_id}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as error:  # the new folder is made beside the target: name the target, not it
        raise AlmanacError(f"{target}: cannot be written ({error.strerror}); choose another folder") from error
    try:
        with _locked(staging):  # tells other runs this folder is in use, not abandoned
            _take_group_and_mode(staging, target, final=False)
            yield staging
            _write_marker(staging, made_by)
            with _swap_lock(target):
                _check_replaceable(target, force, keep_out, link)  # again: another run may have changed it
                _copy_dotfiles(target, staging)
                _take_group_and_mode(staging, target, final=True)
                _publish(staging, target, target.with_name(f".{target.name}.almanac-old-{run_id}"))
                _remove_abandoned(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _publish(staging: Path, target: Path, retired: Path) -> None:
    """Put ``staging`` in ``target``'s place and remove the folder it replaces. Where the system can
    exchange two names in one step (Linux's ``renameat2``), ``target`` is never missing, not even for
    the instant between two renames, in which a web server serving it answered 404."""
    if not os.path.lexists(target):
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous folder
        return
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing names atomically; False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        return False
    at_fdcwd, rename_exchange = -100, 2
    return int(renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)) == 0


def is_almanacs_folder(folder: Path) -> bool:
    """Whether ``folder`` holds the marker Almanac writes (a regular file, not a link to one)."""
    marker = _regular_file_head(folder / OWNER_MARKER, len(_OWNER_LINE) + 2)
    if marker is not None and marker.decode("utf-8", "replace").splitlines()[:1] == [_OWNER_LINE]:
        return True
    return _regular_file_head(folder / _LEGACY_WRITE_MARKER, len(_LEGACY_WRITE_TEXT) + 1) == _LEGACY_WRITE_TEXT


def folder_inside(folder: Path, root: Path) -> Path:
    """Create ``folder``, which lies below ``root``, one level at a time, refusing a link or a file on
    the way: a repository may commit ``.almanac`` (or ``.almanac/forge``) as a link to anywhere, and
    Almanac must write nothing outside the repository."""
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        with suppress(FileExistsError):
            current.mkdir()
        mode = current.lstat().st_mode
        if stat.S_ISLNK(mode):
            raise AlmanacError(f"{current}: is a symbolic link; Almanac does not write through links in a repository "
                               "(remove it)")
        if not stat.S_ISDIR(mode):
            raise AlmanacError(f"{current}: is not a folder")
    return folder


def _link_inside(path: Path, places: list[Path]) -> Path | None:
    """The first symbolic link on the way to ``path`` that lies in one of ``places`` (the repository, the
    current folder), if any. A clone can commit ``site`` as a link to any folder outside it, so a link
    there is the repository's word, not the user's: ``--force`` does not reach through it."""
    current = Path(path.anchor)
    for part in path.parts[1:]:
        current = current / part
        if current.is_symlink():
            parent = current.parent.resolve()
            if any(parent == place or place in parent.parents for place in places):
                return current
    return None


def _check_replaceable(target: Path, force: bool, protected: list[Path], link: Path | None = None) -> None:
    """Raise the one-line reason ``target`` may not be replaced, if there is one."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        raise AlmanacError(f"{target}: is not a folder; give a folder to write into")
    refuse_containing(target, protected)
    names = sorted(os.listdir(target))
    if ".git" in names:
        raise AlmanacError(
            f"{target}: holds .git (a git checkout); Almanac never replaces a checkout, even with --force: "
            f"build into a new folder and copy it in (rsync -a --delete --exclude='.*' --exclude=CNAME NEW/ {target}/)"
        )
    lost = [name for name in names if not name.startswith(".")]  # dotfiles are kept
    if not lost or (force and link is None) or is_almanacs_folder(target):
        return
    if link is not None:
        raise AlmanacError(
            f"{link}: is a symbolic link to {target}, which Almanac did not create; it never replaces a folder "
            "reached through a link in the repository or the current folder, even with --force: give the "
            "folder's own path, or a new folder"
        )
    if any((target / name).exists() for name in _SITE_FILES):
        raise AlmanacError(
            f"{target}: looks like a site built by an earlier Almanac, which did not mark its folders; if "
            f"nothing in it is yours, delete it or build once with --force (later builds replace it without)"
        )
    shown = ", ".join(lost[:3]) + (", …" if len(lost) > 3 else "")
    raise AlmanacError(
        f"{target}: refusing to replace a folder Almanac did not create (it holds {shown}); choose an empty or "
        "new folder, or use --force to delete its files (names starting with '.' are kept)"
    )


def refuse_containing(target: Path, places: Iterable[Path]) -> None:
    """Raise if the folder ``target`` is or contains one of ``places`` (resolved paths): replacing it would
    delete them, whatever ``--force`` says."""
    for place in places:
        if target == place or target in place.parents:
            raise AlmanacError(f"{target}: is or contains {place}; Almanac never replaces it, even with --force; "
                               "choose a new folder")


def _always_protected() -> list[Path]:
    """The home and current folders: replacing a folder that contains either is never what was meant."""
    places = [Path.cwd().resolve()]
    with suppress(RuntimeError):  # no home folder known
        places.append(Path.home().resolve())
    return places


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself for the block (no lock where ``fcntl`` is missing)."""
    if sys.platform == "win32":
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@contextmanager
def _swap_lock(target: Path) -> Iterator[None]:
    """An exclusive lock on ``.NAME.almanac-lock`` beside ``target``; the file is removed afterwards.

    A run that waited may hold a lock on a file its predecessor has just removed: it then locks the
    new file, so exactly one run at a time swaps, and no lock file is left behind.
    """
    if sys.platform == "win32":
        yield
        return
    path = target.with_name(f".{target.name}.almanac-lock")
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            if os.path.samestat(os.fstat(descriptor), os.lstat(path)):
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _remove_abandoned(target: Path) -> None:
    """Remove the temporary folders of runs that died (killed, power cut): nobody holds their lock.

    Runs only under the swap lock, so an ``.almanac-old`` folder is always abandoned."""
    for leftover in target.parent.glob(f".{_glob_escape(target.name)}.almanac-old-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if sys.platform == "win32":
        return
    for leftover in target.parent.glob(f".{_glob_escape(target.name)}.almanac-new-*"):
        try:
            descriptor = os.open(leftover, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live run's folder
        finally:
            os.close(descriptor)
        shutil.rmtree(leftover, ignore_errors=True)


def _glob_escape(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in name)


def _take_group_and_mode(staging: Path, target: Path, *, final: bool) -> None:
    """Give ``staging`` the group and mode of the folder it replaces: the group and setgid bit first,
    so that files created inside inherit the group; the exact mode (maybe read-only) once filled."""
    try:
        old = target.stat()
    except FileNotFoundError:
        return
    if not final:
        with suppress(PermissionError):  # a group the user is not in: keep the default one
            os.chown(staging, -1, old.st_gid)
    os.chmod(staging, stat.S_IMODE(old.st_mode) | (0 if final else stat.S_IRWXU))


def _write_marker(folder: Path, made_by: str) -> None:
    """The ownership marker: the same bytes on every run, so two builds stay byte-identical."""
    marker = folder / OWNER_MARKER
    marker.unlink(missing_ok=True)
    with os.fdopen(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, 0o666), "wb") as stream:
        stream.write(f"{_OWNER_LINE}\nWritten by `{made_by}`. Delete this file to keep Almanac from replacing "
                     "the folder.\n".encode())


def _copy_dotfiles(old: Path, new: Path) -> None:
    """Copy the names starting with ``.`` that ``new`` lacks (links as links), as MkDocs keeps them."""
    if not old.is_dir():
        return
    for entry in os.scandir(old):
        if not entry.name.startswith(".") or entry.name in (OWNER_MARKER, _LEGACY_WRITE_MARKER):
            continue
        destination = new / entry.name
        if os.path.lexists(destination):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), destination)
        elif entry.is_dir():
            shutil.copytree(entry.path, destination, symlinks=True)
        elif entry.is_file():
            shutil.copy2(entry.path, destination)


def _regular_file_head(path: Path, size: int) -> bytes | None:
    """The first ``size`` bytes of ``path`` if it is a regular file (not a link, FIFO or device)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return stream.read(size)


#: How far into an existing file its generated-file marker is looked for (a model card's marker
#: follows its front matter).
MARKER_WINDOW = 64 * 1024


def write_generated(text: str, output: Path, *, marker: str, force: bool) -> None:
    """Write ``text`` to ``output`` atomically: a temporary file in the same folder, then ``os.replace``.

    An existing file is replaced only if it carries ``marker`` where ``text`` has it (the same line,
    counted after any front matter: a README that quotes the marker elsewhere is not ours) or ``force``
    is set; a symbolic link is replaced itself, never written through; anything but a regular file or a
    link (a FIFO, a device) is never replaced. An unchanged file is left alone (its modification time too).
    """
    data = text.encode("utf-8")
    mode: int | None = None
    try:
        existing = output.lstat().st_mode
    except FileNotFoundError:
        existing = None
    except NotADirectoryError as error:
        raise AlmanacError(f"{output.parent}: is not a folder; choose another --output") from error
    if existing is None:
        if not output.parent.is_dir():
            raise AlmanacError(f"{output.parent}: no such folder; create it first or choose another --output")
    elif stat.S_ISDIR(existing):
        raise AlmanacError(f"{output}: is a folder; give a file name")
    elif not (stat.S_ISREG(existing) or stat.S_ISLNK(existing)):
        raise AlmanacError(f"{output}: is not a regular file (a FIFO, socket or device); Almanac replaces only "
                           "files, even with --force; choose another --output")
    else:
        ours = False
        if stat.S_ISREG(existing):
            place = _marker_place(text, marker)
            head = (_regular_file_head(output, MARKER_WINDOW) or b"").decode("utf-8", "replace")
            ours = place is not None and _marker_place(head, marker) == place
            if ours and output.read_bytes() == data:
                return
            mode = stat.S_IMODE(existing)
        if not ours and not force:
            raise AlmanacError(
                f"{output}: refusing to overwrite a file Almanac did not write (it lacks the generated-file "
                "marker line); use --force to replace it, or choose another --output"
            )
    try:
        temporary = new_sibling(output)
    except OSError as error:  # made beside the output: name the output, not its temporary sibling
        raise AlmanacError(f"{output}: cannot be written ({error.strerror}); choose another --output") from error
    try:
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, output)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _marker_place(text: str, marker: str) -> int | None:
    """Which line (counted after YAML front matter) of ``text``'s first few is exactly ``marker``."""
    lines = text.splitlines()
    if lines[:1] == ["---"] and "---" in lines[1:]:
        lines = lines[lines.index("---", 1) + 1:]
    head = lines[:3]
    return head.index(marker) if marker in head else None



def new_sibling(output: Path) -> Path:
    """A new empty file next to ``output``, created with the user's umask (as the final file would be);
    never an existing name or a link, so nothing is written through a link planted beside it."""
    while True:
        candidate = output.with_name(f".{output.name}.{secrets.token_hex(4)}.almanac-new")
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, 0o666))
        except FileExistsError:
            continue
        return candidate

