"""Cold start and memory: the app, its start command and a bare window, each a new process."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .results import Figure, Goal
from .timing import Samples

PROBES = Path(__file__).resolve().parent / "probes"
START_COMMAND = Path(__file__).resolve().parents[1] / "scripts" / "start.sh"
TIMEOUT_S = 180
CLOSING_RECORD_S = 120
"""How long the closing process may take to load (a loaded machine) before it is missed."""


class ProbeError(RuntimeError):
    """A probe process failed or never reported READY."""


@dataclass(frozen=True)
class ProbeRun:
    """What one probe process reported (times in ms from just before the spawn)."""

    ready_ms: float
    peak_rss_mb: float
    dialog_ms: float
    first_dialog_ms: float | None = None
    dialogs_closed_ms: float | None = None
    chart_ms: float | None = None
    close_ms: float | None = None
    """From the main window's close to the end of the process."""


def probe_environment(data_dir: Path) -> dict[str, str]:
    """Headless Qt, private settings and data folders, and compiled-bytecode caches.

    Installed apps run from compiled bytecode, so the probes get a bytecode cache (in the
    data folder, not beside the sources) even where PYTHONDONTWRITEBYTECODE is set.
    """
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("DNT_DATABASE_URL", None)
    env["PYTHONPYCACHEPREFIX"] = str(data_dir / "pycache")
    home = data_dir / "home"
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    return env


def run_probe(script: str, args: list[str], env: dict[str, str]) -> ProbeRun:
    """Start *script* in a new process; the time runs from just before the spawn."""
    return run_command(script, [sys.executable, str(PROBES / script), *args], env)


def run_start_command(args: list[str], env: dict[str, str], user: str, password: str) -> ProbeRun:
    """``scripts/start.sh ARGS`` with the app_start hook in the app it starts."""
    env = dict(env)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROBES / "start_command"), env.get("PYTHONPATH", "")) if p
    )
    env["DNT_START_PROBE"] = f"{user} {password}"
    return run_command("start.sh", ["bash", str(START_COMMAND), *args], env)


def run_command(script: str, command: list[str], env: dict[str, str]) -> ProbeRun:
    """Run one probe *command*; the time runs from just before the spawn."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=PROBES,
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT_S)
        ended = time.perf_counter()
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise ProbeError(f"{script} did not finish in {TIMEOUT_S} s:\n{err[-3000:]}") from None
    values = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    if process.returncode != 0 or "READY" not in values:
        raise ProbeError(
            f"{script} failed (exit code {process.returncode}):\n{out[-2000:]}\n{err[-3000:]}"
        )

    def since_start(key: str) -> float | None:
        return (float(values[key]) - start) * 1000 if key in values else None

    return ProbeRun(
        ready_ms=(float(values["READY"]) - start) * 1000,
        peak_rss_mb=int(values.get("PEAK_RSS_KB", "0")) / 1024,
        dialog_ms=float(values.get("DIALOG_MS", "0")),
        first_dialog_ms=since_start("FIRST_DIALOG"),
        dialogs_closed_ms=since_start("DIALOGS_CLOSED"),
        chart_ms=float(values["CHART_MS"]) if "CHART_MS" in values else None,
        close_ms=(ended - float(values["CLOSING"])) * 1000 if "CLOSING" in values else None,
    )


def startup_figures(
    db_path: Path, patients: int, user: str, password: str, data_dir: Path, repeat: int
) -> list[Figure]:
    """Cold start (beside the bare window), the start command (beside the app) and memory."""
    env = probe_environment(data_dir)
    shutil.rmtree(data_dir / "home", ignore_errors=True)
    app_args = ["--db", str(db_path), "--user", user, "--password", password, "--chart"]
    app, bare, stack, script = Samples(), Samples(), Samples(), Samples()
    app_rss, bare_rss, dialogs = Samples(), Samples(), Samples()
    before_dialogs, after_dialogs = Samples(), Samples()
    closing_work(db_path, env)  # every run starts as after a completed close
    for round_number in range(repeat + 1):  # round 0 warms bytecode and file caches
        app_run = run_probe("app_start.py", app_args, env)
        stop_closing_work(db_path, env)
        bare_run = run_probe("bare_window.py", [], env)
        stack_run = run_probe("bare_window.py", ["--import-orm"], env)
        if round_number == 0:  # the app's own run has warmed the caches both share
            continue
        script_run = run_start_command(["--db", str(db_path)], env, user, password)
        stop_closing_work(db_path, env)
        app.add(app_run.ready_ms)
        script.add(script_run.ready_ms)
        bare.add(bare_run.ready_ms)
        stack.add(stack_run.ready_ms)
        app_rss.add(app_run.peak_rss_mb)
        bare_rss.add(bare_run.peak_rss_mb)
        dialogs.add(app_run.dialog_ms)
        if app_run.first_dialog_ms is not None and app_run.dialogs_closed_ms is not None:
            before_dialogs.add(app_run.first_dialog_ms)
            after_dialogs.add(app_run.ready_ms - app_run.dialogs_closed_ms)
    phases = (
        f"; until the first start-up dialog (imports, opening and checking the file) "
        f"{before_dialogs.median:.0f} ms, from its close to the painted register "
        f"{after_dialogs.median:.0f} ms"
        if before_dialogs.values
        else ""
    )
    cold = Figure(
        key="cold_start",
        title="cold start to usable main window",
        size=patients,
        samples=app,
        floor=bare,
        floor_title="bare PySide6 QMainWindow process",
        goal=Goal("<= 1.5x floor", max_ratio=1.5),
        detail=(
            f"a bare window that also imports the SQLAlchemy ORM starts in "
            f"{stack.median:.0f} ms; start-up dialogs (answered at once, their own work "
            f"included) were on screen {dialogs.median:.0f} ms{phases}"
        ),
        extra={
            "bare_window_with_orm_ms": stack.median,
            "dialogs_ms": dialogs.median,
            "until_first_dialog_ms": before_dialogs.median,
            "after_dialogs_ms": after_dialogs.median,
        },
    )
    memory = Figure(
        key="memory",
        title="peak memory, register and a chart shown",
        size=patients,
        samples=app_rss,
        floor=bare_rss,
        floor_title="bare PySide6 QMainWindow process",
        unit="MB",
        goal=Goal("< 250 MB", max_value=250),
    )
    start_command = Figure(
        key="start_command",
        title="start command (start.sh) to usable window",
        size=patients,
        samples=script,
        floor=app,
        floor_title="the app's own cold start (the figure above)",
        goal=Goal("<= 1.1x floor", max_ratio=1.1),
        detail=(
            "scripts/start.sh on an installed checkout: one dpkg-query for the system "
            "packages and the install stamp compared, no pip, then the app"
        ),
    )
    return [cold, start_command, memory]


# --- every size: the sign-in dialog, the painted register, the first chart, closing -----


@contextlib.contextmanager
def probe_data_home(env: dict[str, str]) -> Iterator[None]:
    """This process looks at the probes' data folder (their witness, records) meanwhile."""
    saved = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = env["XDG_DATA_HOME"]
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("XDG_DATA_HOME", None)
        else:
            os.environ["XDG_DATA_HOME"] = saved


def closing_work(db_path: Path, env: dict[str, str]) -> float:
    """Run the closing work the app leaves behind (``python -m dnt_desktop.commands.closing``:
    the backup, ``check`` of it, the file noted verified) to its end; its time in ms."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dnt_desktop.commands.closing", "--db", str(db_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S * 10,
        check=False,
    )
    if done.returncode != 0:
        raise ProbeError(f"the closing work failed:\n{done.stderr[-3000:]}")
    return (time.perf_counter() - started) * 1000


def stop_closing_work(db_path: Path, env: dict[str, str]) -> None:
    """End the closing process an app run left (timed once, by ``closing_work``) and note
    the file verified again, as its check would (the file is the benchmark's own, sound
    copy), so that every run starts as after a completed close."""
    from dnt_desktop.services import closing
    from dnt_desktop.storage import verified

    with probe_data_home(env):
        deadline = time.monotonic() + CLOSING_RECORD_S
        while True:
            state = closing.read_state(db_path)
            if state is not None and state.pid is not None:
                break
            if time.monotonic() > deadline:
                raise ProbeError("the app's closing process never started its work")
            time.sleep(0.02)  # the process writes its record once it has loaded
        if state is not None and state.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(state.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError, OSError):
                while closing._alive(state.pid):
                    time.sleep(0.02)
        connection = sqlite3.connect(db_path)  # the last connection tidies the side files
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.close()
        closing.clear_state(db_path)
        for partial in (db_path.parent / "backups").glob("*.partial*"):
            partial.unlink(missing_ok=True)  # a copy cut short: gigabytes at 500,000
        state_now = verified.closed_state(db_path)
        if state_now is None:
            raise ProbeError(f"{db_path} is still open somewhere after the app run")
        verified.record(db_path, state_now, "benchmark: the app's own run on a checked copy")


def size_figures(
    db_path: Path,
    patients: int,
    user: str,
    password: str,
    chart_patient: int,
    data_dir: Path,
    repeat: int,
) -> list[Figure]:
    """Start, first chart and close of the app at one database size (a new process each)."""
    env = probe_environment(data_dir)
    shutil.rmtree(data_dir / "home", ignore_errors=True)
    args = ["--db", str(db_path), "--user", user, "--password", password, "--chart"]
    args += ["--patient", str(chart_patient)]
    background = Samples()
    background.add(closing_work(db_path, env))  # earns the "verified" note, timed once
    dialog, ready, chart, close = Samples(), Samples(), Samples(), Samples()
    for round_number in range(repeat + 1):  # round 0 warms bytecode and file caches
        run = run_probe("app_start.py", args, env)
        stop_closing_work(db_path, env)
        if round_number == 0:
            continue
        ready.add(run.ready_ms)
        if run.first_dialog_ms is not None:
            dialog.add(run.first_dialog_ms)
        if run.chart_ms is not None:
            chart.add(run.chart_ms)
        if run.close_ms is not None:
            close.add(run.close_ms)
    return [
        Figure(
            key="signin_dialog",
            title="start to the sign-in dialog on screen",
            size=patients,
            samples=dialog,
            goal=Goal("< 500 ms", max_value=500),
        ),
        Figure(
            key="start_to_register",
            title="start to painted register (signed in)",
            size=patients,
            samples=ready,
            goal=Goal("< 1.5 s", max_value=1500),
            detail="the file unchanged since its closing check: no whole-file pass",
        ),
        Figure(
            key="first_chart",
            title="first chart opened in a process (100 sessions)",
            size=patients,
            samples=chart,
            goal=Goal("< 300 ms", max_value=300),
        ),
        Figure(
            key="close",
            title="close: the window's close to the process's end",
            size=patients,
            samples=close,
            goal=Goal("< 2 s", max_value=2000),
        ),
        Figure(
            key="closing_work",
            title="closing work after it (backup, check of it)",
            size=patients,
            samples=background,
            goal=Goal("in the background", max_value=None),
            detail="a detached process; the next start is flat only once it has finished",
        ),
    ]
