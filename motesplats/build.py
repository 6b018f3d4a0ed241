"""`motesplats build`: check the workspace, render what changed, and swap it in — or change nothing.

The outputs come from the registry (motesplats/outputs). Each file's fingerprint is compared with
the one recorded when it was last written: only files whose inputs changed (or that were deleted
or edited by hand since) are rendered again. Programmes and badges are rendered by worker
processes, one per core, while the build's own process works out the feeds (they share one
sequence state). Every file is staged as it is rendered and moved into build/ only when all have
succeeded, so a failed or killed build leaves build/ as it was, and a subscriber never sees half
a feed. One build runs at a time in a workspace; a second waits for the first.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import signal
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from motesplats.cache import CACHE_FOLDER, LOCK, BuildCache, holding
from motesplats.fingerprint import code_digest, digest_bytes, digest_text, files_digest
from motesplats.load.files import read_bytes
from motesplats.outputs import NAMES, Context, Job, Request, output
from motesplats.problems import Problem, ProblemsFound
from motesplats.records.folder import Record, read_records
from motesplats.records.seal import seal, seal_correction, unsealed, unsealed_corrections
from motesplats.records.signing import awaited
from motesplats.render.templates import TemplateError, template_problem
from motesplats.validate import Checked, check_workspace
from motesplats.workspace import SEQUENCE_FILE, Workspace
from motesplats.write import Staging, finish, remove_leftovers, replace_atomically, replaced_so_far, stage_file

SECRET_FILE = ".motesplats-secret"
MANIFEST = "manifest.json"
STAGING = "staging"
SMALL_BUILD = 4  # fewer jobs than this are rendered in the build's own process: no pool to start


@dataclass(frozen=True)
class BuildReport:
    written: list[str]    # paths under build/ whose bytes changed or that were deleted
    unchanged: int        # files of the requested outputs left as they were
    removed: list[str]    # stale outputs deleted (removed events, personal feeds of a rotated secret)
    rendered: tuple[str, ...]  # files rendered again (the others were known to be up to date)
    warnings: tuple[Problem, ...]
    paths: tuple[str, ...] = ()  # every file the requested outputs make
    sealed: tuple[str, ...] = ()  # record folders this build wrote (adjusted minutes sealed): to commit
    awaiting: tuple[str, ...] = ()  # meetings out for signing, not sealed: 'styrelsemote-2018-06-08 (1 of 2 signed)'


class Progress:
    """What a build reports while it runs; the command line shows it as a bar. Silent by default."""

    def start(self, total: int) -> None:
        """`total` files are about to be rendered."""

    def step(self, label: str) -> None:
        """One more is done."""


def build(workspace: Workspace, request: Request | None = None, now: datetime | None = None,
          jobs: int | None = None, progress: Progress | None = None) -> BuildReport:
    """Build the requested outputs (default: all) into build/; raise ProblemsFound and write nothing on errors.

    `jobs` is the number of worker processes (default: one per core).
    """
    try:
        with holding(workspace.root, LOCK):  # a second build, say by serve --watch, waits for this one
            return _build(workspace, request or Request(NAMES), now, jobs, progress or Progress())
    except OSError as error:  # a folder that may not be written, a full disk: say which file
        named = error.filename2 or error.filename  # a move names its target second
        where = workspace.shown(Path(named)) if named else workspace.shown(workspace.build_dir)
        replaced = replaced_so_far(_staging_area(workspace), workspace.root)
        fix = "check that the folder exists, may be written and has space; then build again"
        if replaced is None:
            raise ProblemsFound([Problem(where, 1, f"cannot write: {error.strerror or error}",
                                         f"{fix} (nothing half-written was published)")]) from None
        raise PartlyPublished([Problem(where, 1, f"cannot write: {error.strerror or error}",
                                       f"{fix}: it moves the rest of this build into place")], replaced) from None


class PartlyPublished(ProblemsFound):
    """A build that stopped while moving its files into place, after the sequence state: what
    was already replaced (paths relative to the workspace); the next build moves the rest."""

    def __init__(self, problems: list[Problem], replaced: list[str]):
        super().__init__(problems)
        self.replaced = replaced

    def __reduce__(self):
        return PartlyPublished, (self.problems, self.replaced)


def _build(workspace: Workspace, request: Request, now: datetime | None, jobs: int | None,
           progress: Progress) -> BuildReport:
    area = _staging_area(workspace)
    finish(area, workspace.root)  # a build killed earlier: completed if it had committed, else thrown away
    for folder in (workspace.root, workspace.root / "events", workspace.root / "calendars", workspace.build_dir):
        remove_leftovers(folder)
    cache = BuildCache(workspace.root)
    manifest = cache.read_json(cache.path(MANIFEST)) or {}
    outputs = manifest.get("outputs", {})
    secret = workspace_secret(workspace)
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    build_key = _build_key(workspace, request, secret, now.astimezone(timezone.utc).date().isoformat())
    if manifest.get("build key") == [build_key, _state_digest(workspace)] and \
            _intact(workspace.build_dir, outputs, request):
        made = tuple(manifest.get("made", ()))
        warnings = tuple(Problem.from_record(record) for record in manifest.get("warnings", []))
        return BuildReport([], len(made), [], (), warnings, made)

    checked = check_workspace(workspace, cache, now.date())
    if checked.plan is None:
        raise ProblemsFound(list(checked.errors))
    sealed, records, awaiting = _seal_adjusted(workspace, checked, request, now)
    if sealed:
        build_key = _build_key(workspace, request, secret, now.astimezone(timezone.utc).date().isoformat())
    context = Context(workspace, checked.plan, request, now, secret, cache, checked.sequence_state,
                      shared={"records": records})
    staging = Staging(workspace.build_dir, area, workspace.root)
    try:
        rendered, staged, all_jobs = _render(context, outputs, staging, jobs or os.cpu_count() or 1, progress)
        removed = _stale(workspace.build_dir, outputs, all_jobs, request)
        first = [file for name in request.outputs for file in output(name).state_files(context)]
        staging.commit(staged, removed, first)
    except BaseException:
        if not staging.committed:  # once committed, the next run finishes the moves
            staging.discard()
        raise
    for name in request.outputs:
        output(name).after_commit(context)
    cache.forget_unused_parses()
    made = tuple(path for job in all_jobs for path in job.paths)
    _save_manifest(cache, workspace, outputs, rendered, set() if request.event_ids else _dropped(outputs, set(made), request),
                   build_key, made, checked.warnings)
    return BuildReport(sorted(staged) + removed, len(made) - len(staged), removed,
                       tuple(sorted(path for job in rendered for path in job.paths)), checked.warnings, made, sealed, awaiting)


def _seal_adjusted(workspace: Workspace, checked: Checked, request: Request,
                   now: datetime) -> tuple[tuple[str, ...], dict[str, Record], tuple[str, ...]]:
    """Seal the minutes and the corrections (rättelser) adjusted since the last build (when minutes
    are built): the folders written, every record the outputs publish from, and the meetings left
    unsealed because they are out for signing (`motesplats adjust` seals them when all have signed,
    whatever `adjusted` says)."""
    if "minutes" not in request.outputs:
        return (), checked.records, ()
    wanted = set(request.event_ids)
    pending = [m for m in unsealed(checked.plan, checked.records) if not wanted or m.event.id in wanted]
    signing = {m.key: count for m in pending if (count := awaited(workspace, m)) is not None}
    sealed = tuple(seal(workspace, checked.plan, meeting, now) for meeting in pending if meeting.key not in signing)
    sealed += tuple(seal_correction(workspace, checked.plan, meeting, correction, now)
                    for meeting, correction in unsealed_corrections(checked.plan, checked.records)
                    if not wanted or meeting.event.id in wanted)
    awaiting = tuple(f"{key} ({n} of {m} signed)" for key, (n, m) in signing.items())
    return sealed, read_records(workspace)[0] if sealed else checked.records, awaiting


def _render(context: Context, known: dict, staging: Staging, workers: int,
            progress: Progress) -> tuple[list[Job], list[str], list[Job]]:
    """Render every job whose fingerprint changed; return those jobs, the staged paths, and all jobs."""
    root = context.workspace.build_dir
    entries = [output(name) for name in context.request.outputs]
    all_jobs = [job for entry in entries if not entry.in_parent for job in entry.jobs(context)]
    pending = [job for job in all_jobs if not _up_to_date(root, known, job)]
    staged: list[str] = []
    pool = _pool(context, pending, workers)
    try:
        futures = {pool.submit(_render_in_worker, index): job for index, job in enumerate(pending)} if pool else {}
        here = [] if pool else list(pending)
        # Outputs with shared state (the feeds) are worked out here while the workers render the rest.
        for entry in entries:
            if entry.in_parent:
                for job in entry.jobs(context):
                    all_jobs.append(job)
                    if not _up_to_date(root, known, job):
                        here.append(job)
        progress.start(len(futures) + len(here))
        for job in here:
            staged += _render_here(context, job, staging)
            progress.step(job.label)
            staged += _collect(futures, progress, block=False)
        staged += _collect(futures, progress, block=True)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
            _forget_workers()
    return here + (pending if pool is not None else []), staged, all_jobs


def _render_here(context: Context, job: Job, staging: Staging) -> list[str]:
    files = _rendered(context, job)
    return [path for path, content in files.items() if staging.write(path, content)]


def _rendered(context: Context, job: Job) -> dict[str, bytes]:
    """The files of `job`; a workspace template that cannot be used is a problem at its line."""
    try:
        return output(job.output).render(context, job)
    except (TemplateError, RecursionError) as error:  # recursion: a workspace macro that calls itself
        raise ProblemsFound([template_problem(error, context.workspace)]) from None


def _collect(futures: dict[Future, Job], progress: Progress, block: bool) -> list[str]:
    staged: list[str] = []
    while futures:
        done, _ = wait(list(futures), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        if not done:
            break
        for future in done:
            job = futures.pop(future)
            staged += future.result()  # a renderer's exception is raised here, and nothing is committed
            progress.step(job.label)
    return staged


# --- worker processes: forked with the build's context, so nothing large is sent to them ----

_WORKER: tuple[Context, list[Job], Path, Path] | None = None


def _pool(context: Context, pending: list[Job], workers: int) -> ProcessPoolExecutor | None:
    global _WORKER
    if workers <= 1 or len(pending) < SMALL_BUILD or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _WORKER = (context, pending, context.workspace.build_dir, _staging_area(context.workspace))
    return ProcessPoolExecutor(max_workers=min(workers, len(pending)), mp_context=multiprocessing.get_context("fork"),
                               initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    """Ctrl-C is for the build's own process, which stops the workers and cleans up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _forget_workers() -> None:
    global _WORKER
    _WORKER = None  # a long-running process (serve --watch) does not keep the plan alive


def _render_in_worker(index: int) -> list[str]:
    context, pending, root, area = _WORKER
    job = pending[index]
    files = _rendered(context, job)
    return [path for path, content in files.items() if stage_file(root, area, path, content)]


# --- what is up to date --------------------------------------------------------------------

def _up_to_date(root: Path, known: dict, job: Job) -> bool:
    """True when every file of `job` was written with this fingerprint and has not been touched since."""
    for path in job.paths:
        record = known.get(path)
        if record is None or record[1] != job.fingerprint or not _same_file(root / path, record):
            return False
    return True


def _same_file(path: Path, record: list) -> bool:
    try:
        status = path.stat()
    except OSError:
        return False
    return status.st_size == record[2] and status.st_mtime_ns == record[3]


def _intact(root: Path, known: dict, request: Request) -> bool:
    return all(_same_file(root / path, record) for path, record in known.items() if record[0] in request.outputs)


def _stale(root: Path, known: dict, jobs: list[Job], request: Request) -> list[str]:
    """Files earlier builds of these outputs wrote that no job writes now, or that lie in folders
    only these outputs write. The folders count even without a record: an upgrade empties the
    cache, and a feed published under an old, guessable name must not stay behind."""
    if request.event_ids:
        return []  # a single event's command cannot tell what the others would write
    current = {path for job in jobs for path in job.paths}
    stale = _dropped(known, current, request)
    owners: dict[str, set[str]] = {}
    for name in NAMES:
        for folder in output(name).owned_folders:
            owners.setdefault(folder, set()).add(name)
    for folder, names in owners.items():
        if names <= set(request.outputs):  # badges/ is the badges' and the table cards' together
            stale |= set(_files_under(root, folder)) - current
    return sorted(path for path in stale if os.path.isfile(root / path))


def _files_under(root: Path, folder: str) -> list[str]:
    """Paths (relative to root) of the files directly in root/folder: ten thousand personal feeds."""
    try:
        with os.scandir(root / folder) as entries:
            return [f"{folder}/{entry.name}" for entry in entries if entry.is_file()]
    except FileNotFoundError:
        return []


def _build_key(workspace: Workspace, request: Request, secret: bytes, today: str) -> str:
    """Everything a build reads but the sequence state, digested: when it and the state are as the
    last build left them, there is nothing to do."""
    inputs = files_digest(workspace.input_files(), workspace.root)
    return digest_text(code_digest(), repr(request), digest_bytes(secret), today, inputs)


def _state_digest(workspace: Workspace) -> str:
    """The sequence state as a build leaves it (it is the one input a build itself writes)."""
    state = workspace.root / SEQUENCE_FILE
    return digest_bytes(state.read_bytes()) if state.is_file() else ""


def _dropped(known: dict, made: set[str], request: Request) -> set[str]:
    """Records of the requested outputs for files no job makes any more."""
    return {path for path, record in known.items() if record[0] in request.outputs and path not in made}


def _save_manifest(cache: BuildCache, workspace: Workspace, known: dict, rendered: Iterable[Job],
                   dropped: set[str], build_key: str, made: tuple[str, ...], warnings: tuple[Problem, ...]) -> None:
    """Record what each file was made from; files not rendered this time keep their record."""
    root = workspace.build_dir
    outputs = {path: record for path, record in known.items() if path not in dropped}
    for job in rendered:
        for path in job.paths:
            try:
                status = (root / path).stat()
            except OSError:
                outputs.pop(path, None)
                continue
            outputs[path] = [job.output, job.fingerprint, status.st_size, status.st_mtime_ns]
    cache.write_json(cache.path(MANIFEST), {
        "build key": [build_key, _state_digest(workspace)], "outputs": outputs, "made": list(made),
        "warnings": [p.as_record() for p in warnings]})


def _staging_area(workspace: Workspace) -> Path:
    return workspace.root / CACHE_FOLDER / STAGING


SHORTEST_SECRET = 32  # bytes: below this, personal feed names could be guessed by trying secrets
LONGEST_SECRET = 4096  # bytes: 'rotate-secret' writes 65; anything far longer is not a secret file


def workspace_secret(workspace: Workspace) -> bytes:
    """The key behind personal feed names, created on first use and kept out of git.

    Replacing the file (`motesplats rotate-secret`) gives every personal feed a new name and the
    next build deletes the old ones, revoking every link handed out before. An empty, short or
    unreadable secret raises ProblemsFound: with it, anyone could work out every feed's name.
    """
    path = workspace.root / SECRET_FILE
    if not os.path.lexists(path):
        write_secret(path)
    hint = "run 'motesplats rotate-secret' for a new one (every personal feed then gets a new address)"
    raw = read_bytes(path, SECRET_FILE, largest=LONGEST_SECRET)  # a plain file: not a pipe, not /dev/zero
    if isinstance(raw, Problem):
        raise ProblemsFound([replace(raw, hint=hint)])
    secret = raw.strip()
    if len(secret) < SHORTEST_SECRET:
        what = "empty" if not secret else f"only {len(secret)} bytes long (at least {SHORTEST_SECRET} are needed)"
        raise ProblemsFound([Problem(SECRET_FILE, 1, f"the secret is {what}", hint)])
    return secret


def write_secret(path: Path) -> None:
    replace_atomically(path, (secrets.token_hex(32) + "\n").encode("ascii"), mode=0o600)

