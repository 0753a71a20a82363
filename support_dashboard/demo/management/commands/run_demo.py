from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from support_dashboard.demo.seeding import DEMO_JAZZHR_API_KEY, seed_demo

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = (
        "Run the demo: the web server, a Celery worker and the JazzHR simulator with "
        "demo data, until Ctrl-C. Run `migrate` first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Web server port.")
        parser.add_argument(
            "--simulator-port", type=int, default=8001, help="JazzHR simulator port."
        )

    def handle(self, *args, port: int, simulator_port: int, **options) -> None:
        logins = seed_demo()
        env = dict(os.environ)
        env["JAZZHR_BASE_URL"] = f"http://127.0.0.1:{simulator_port}/v1"
        env["PYTHONUNBUFFERED"] = "1"
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        commands = {
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
        processes = {
            name: subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
            for name, command in commands.items()
        }
        self.print_banner(port, logins)
        self.supervise(processes)

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

    def supervise(self, processes: dict[str, subprocess.Popen]) -> None:
        try:
            while all(process.poll() is None for process in processes.values()):
                time.sleep(POLL_SECONDS)
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(
                        f"The {name} process exited with {process.returncode}."
                    )
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
