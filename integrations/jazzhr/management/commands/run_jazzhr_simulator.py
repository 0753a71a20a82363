"""Run the JazzHR simulator in the foreground until Ctrl-C."""

from __future__ import annotations

import logging
import threading

from django.core.management.base import BaseCommand, CommandError

from integrations.jazzhr.simulator import build_demo_account, start_simulator
from integrations.jazzhr.simulator.state import AccountExists

SIMULATOR_LOGGER = "integrations.jazzhr.simulator"


class Command(BaseCommand):
    help = (
        "Serve the JazzHR simulator: JazzHR API v1 under /v1 and its control API "
        "under /_simulator/. Logs one line per request and stops on Ctrl-C."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default 127.0.0.1, reachable only locally).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8001,
            help="TCP port to listen on (default 8001).",
        )
        parser.add_argument(
            "--demo-key",
            help="Create an account with this API key and load the demo data into it.",
        )

    def handle(self, *args, **options) -> None:
        self.configure_logging()
        try:
            simulator = start_simulator(host=options["host"], port=options["port"])
        except OSError as error:
            raise CommandError(
                f"Cannot listen on {options['host']}:{options['port']}: {error}"
            ) from error

        try:
            if options["demo_key"]:
                self.load_demo(simulator.store, options["demo_key"])
            self.stdout.write(f"JazzHR base URL: {simulator.base_url}")
            self.stdout.write(f"Control API: {simulator.root_url}/_simulator/")
            self.stdout.write("Press Ctrl-C to stop.")
            threading.Event().wait()
        except KeyboardInterrupt:
            self.stdout.write("Stopping the JazzHR simulator.")
        finally:
            simulator.stop()

    def load_demo(self, store, api_key: str) -> None:
        try:
            account = build_demo_account(store, api_key=api_key)
        except AccountExists as error:
            raise CommandError("The demo API key is already in use.") from error
        self.stdout.write(
            f"Demo account ready: {len(account.jobs)} jobs, "
            f"{len(account.applicants)} applicants."
        )

    def configure_logging(self) -> None:
        logger = logging.getLogger(SIMULATOR_LOGGER)
        logger.setLevel(logging.INFO)
        if not logger.handlers:
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            logger.addHandler(handler)
            # The handler above prints each line once, so stop it reaching root.
            logger.propagate = False
