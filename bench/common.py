"""Shared bits: the figure table, /proc readers, a simulator in a child process, pty runner."""

from __future__ import annotations

import os
import select
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 7
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Figure:
    name: str
    value: float | None
    unit: str
    target: str  # e.g. "< 4", ">= 10", "info"
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "FAIL"
        text = self.target.strip()
        for op in ("<=", ">=", "<", ">"):
            if text.startswith(op):
                limit = float(text[len(op):].split()[0])
                ok = {"<": self.value < limit, "<=": self.value <= limit,
                      ">": self.value > limit, ">=": self.value >= limit}[op]
                return "PASS" if ok else "FAIL"
        return "info"


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def print_figures(figures: list[Figure], *, header: bool = True, file=sys.stdout) -> None:
    rows = [(f.name, _fmt(f.value), f.unit, f.target, f.verdict, f.note) for f in figures]
    if header:
        rows.insert(0, ("name", "value", "unit", "target", "result", "note"))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].ljust(widths[2]),
                 row[3].ljust(widths[3]), row[4].ljust(widths[4])]
        line = ", ".join(cells)
        if row[5]:
            line += f"  # {row[5]}"
        print(line.rstrip(), file=file, flush=True)


def ratio_figure(name: str, value: float, floor: float, target: str, note: str = "") -> Figure:
    """`value / floor` as a figure ("x"); the note shows both sides."""
    if not floor:
        return Figure(name, None, "x", target, "floor measured as zero")
    return Figure(name, value / floor, "x", target, note or f"{value:.4g} / {floor:.4g}")


def profile_report(profiler, title: str, limit: int = 25) -> str:
    """The top of a cProfile run, by own time then by cumulative time, as text."""
    import io
    import pstats

    out = io.StringIO()
    out.write(f"## profile: {title}\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


# -- /proc --------------------------------------------------------------------------------------
def cpu_seconds(pid: int | str = "self") -> float:
    """utime + stime of a process (not its children), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


def rss_bytes(pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE


# -- the simulator in a child process (loopback HTTP) ------------------------------------------
class SimProcess:
    """`drstui.sim` served over loopback HTTP from its own process (bench/simserver.py), so its
    CPU (signature checks, JSON, one thread per connection) does not compete for the GIL of the
    client being measured. Stops by itself after `lifetime` seconds even if we die."""

    def __init__(self, *, seed: int = SEED, jobs: int = 50, latency_ms: float = 50.0,
                 lifetime: float = 900.0) -> None:
        import json
        import subprocess

        self._json = json
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.simserver", "--seed", str(seed), "--jobs", str(jobs),
             "--latency-ms", str(latency_ms), "--lifetime", str(lifetime)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=str(ROOT), text=True)
        line = self._proc.stdout.readline()
        if not line:
            self.close()
            raise RuntimeError("simulator child did not start")
        self.url: str = json.loads(line)

    def _ask(self, command: str):
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return self._json.loads(self._proc.stdout.readline())

    def counts(self) -> dict[str, int]:
        return self._ask("counts")

    def reset(self) -> None:
        self._ask("reset")

    def cpu(self) -> float:
        """CPU seconds the simulator process has used so far."""
        return self._ask("cpu")

    def close(self) -> None:
        try:
            self._proc.stdin.write("stop\n")
            self._proc.stdin.flush()
        except (OSError, ValueError):
            pass
        try:
            self._proc.wait(10)
        except Exception:
            self._proc.terminate()
            self._proc.wait(5)

    def __enter__(self) -> "SimProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- running a program in a pseudo-terminal ----------------------------------------------------
class PtyChild:
    """A program on the slave side of a pty (sized `cols` x `rows`); `pump()` reads and keeps
    (or discards) what it writes, so it never blocks on a full terminal. It runs with a
    throw-away home (HOME and the XDG directories): its cutover log, config lookups and
    downloads stay out of the user's own."""

    def __init__(self, argv: list[str], *, cols: int = 120, rows: int = 36, env: dict | None = None,
                 keep_output: bool = True) -> None:
        import fcntl
        import struct
        import subprocess
        import tempfile
        import termios

        self._home = tempfile.TemporaryDirectory(prefix="drstui-bench-")
        home = self._home.name
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        full_env.pop("TEXTUAL", None)
        full_env.pop("DRSTUI_CONFIG", None)
        full_env.update(HOME=home, XDG_STATE_HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home,
                        XDG_CACHE_HOME=home)
        full_env.update(env or {})
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                                     cwd=str(ROOT), start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.keep_output = keep_output
        self.output = bytearray()
        self.total_bytes = 0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def pump(self, seconds: float) -> None:
        """Read the terminal for `seconds` (answers cursor-position queries)."""
        end = time.perf_counter() + seconds
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready and not self._read_once():
                return

    def _read_once(self) -> bool:
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        self.total_bytes += len(chunk)
        if self.keep_output:
            self.output += chunk
        return True

    def wait_for(self, marker: bytes | list[bytes], timeout: float) -> float | None:
        """Seconds from spawn until `marker` (or any of a list) appeared in the output."""
        markers = [marker] if isinstance(marker, bytes) else list(marker)
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                if not self._read_once():
                    return None
                if any(m in self.output[-65536 - 200:] for m in markers):
                    return time.perf_counter() - self.started
            elif self.proc.poll() is not None:
                return None
        return None

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.write(self.master, b"q")  # drstui and the bare app quit on q
            except OSError:
                pass
            deadline = time.perf_counter() + 3
            while self.proc.poll() is None and time.perf_counter() < deadline:
                self.pump(0.1)
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except Exception:
                self.proc.kill()
                self.proc.wait(5)
        try:
            os.close(self.master)
        except OSError:
            pass
        self._home.cleanup()


def python() -> str:
    return sys.executable


def standalone() -> None:
    """Make `python bench/<script>.py` work as well as `python -m bench.<script>`."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def pump_all(children: list[PtyChild], seconds: float) -> None:
    """Read several terminals at once for `seconds`, so none of them blocks on its output."""
    by_fd = {child.master: child for child in children}
    end = time.perf_counter() + seconds
    while by_fd:
        left = end - time.perf_counter()
        if left <= 0:
            return
        ready, _, _ = select.select(list(by_fd), [], [], min(left, 0.5))
        for fd in ready:
            if not by_fd[fd]._read_once():
                del by_fd[fd]
