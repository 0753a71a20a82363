from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from support_dashboard.demo.seeding import DEMO_JAZZHR_API_KEY, seed_demo

POLL_SECONDS = 0.5
# A process that exits more often than this within RESTART_WINDOW_SECONDS is
# broken, not unlucky, and stops the demo.
MAX_RESTARTS = 5
RESTART_WINDOW_SECONDS = 60.0


class Command(BaseCommand):
    help = (
        "Run the demo: the web server, a Celery worker and the JazzHR simulator with "
        "demo data, until Ctrl-C. A process that dies (say, a killed worker) is "
        "started again. Run `migrate` first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Web server port.")
        parser.add_argument(
            "--simulator-port", type=int, default=8001, help="JazzHR simulator port."
        )

    def handle(self, *args, port: int, simulator_port: int, **options) -> None:
        for demo_port in (port, simulator_port):
            require_free_port(demo_port)
        logins = seed_demo()
        env = dict(os.environ)
        env["JAZZHR_BASE_URL"] = f"http://127.0.0.1:{simulator_port}/v1"
        env["PYTHONUNBUFFERED"] = "1"
        commands = demo_commands(port, simulator_port)
        # SIGTERM ends the demo like Ctrl-C, so the children are stopped too.
        signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
        processes = {name: start(command, env) for name, command in commands.items()}
        self.print_banner(port, logins)
        try:
            self.supervise(processes, commands, env)
        finally:
            stop_all(processes)

    def print_banner(self, port: int, logins) -> None:
        self.stdout.write(
            f"\nDemo running at http://127.0.0.1:{port}/  (Ctrl-C stops)\n"
        )
        for login in logins:
            line = f"  {login.role:<10} {login.email:<24} password: {login.password}"
            if login.api_token:
                line += f"\n  {'':<10} API token: {login.api_token}"
            self.stdout.write(line)
        self.stdout.write("")

    def supervise(self, processes, commands, env) -> None:
        restarts: dict[str, list[float]] = {name: [] for name in processes}
        try:
            while True:
                time.sleep(POLL_SECONDS)
                for name, process in processes.items():
                    if process.poll() is None:
                        continue
                    now = time.monotonic()
                    recent = [
                        t for t in restarts[name] if now - t < RESTART_WINDOW_SECONDS
                    ]
                    if len(recent) >= MAX_RESTARTS:
                        raise CommandError(
                            f"The {name} process keeps exiting (last code "
                            f"{process.returncode}); stopping the demo."
                        )
                    self.stderr.write(
                        f"The {name} process exited with {process.returncode}; "
                        "starting it again."
                    )
                    restarts[name] = [*recent, now]
                    # Children left behind (the worker's beat) go with their group.
                    signal_group(process, signal.SIGKILL)
                    processes[name] = start(commands[name], env)
        except KeyboardInterrupt:
            pass


def raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def require_free_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise CommandError(
                f"Port {port} on 127.0.0.1 is in use, perhaps by another demo. Stop "
                "it, or pass --port / --simulator-port."
            )


def demo_commands(port: int, simulator_port: int) -> dict[str, list[str]]:
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    return {
        "simulator": manage
        + [
            "run_jazzhr_simulator",
            "--port",
            str(simulator_port),
            "--demo-key",
            DEMO_JAZZHR_API_KEY,
        ],
        "worker": [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "support_dashboard",
            "worker",
            "--beat",
            "--pool=threads",
            "--concurrency=4",
            "--loglevel=INFO",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--schedule",
            str(Path(settings.VAR_DIR) / "celerybeat-schedule"),
        ],
        "web": manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
    }


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    # A process group of its own, so stopping it also stops its children (beat).
    return subprocess.Popen(
        command, env=env, cwd=settings.BASE_DIR, start_new_session=True
    )


def stop_all(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        signal_group(process, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            signal_group(process, signal.SIGKILL)


def signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
