from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer


class Command(BaseCommand):
    help = "Create a customer and print its slug."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The company name, e.g. 'Acme Robotics'.")
        parser.add_argument(
            "--ats",
            choices=Ats.values,
            default=Ats.NONE,
            help="The customer's ATS (default: none).",
        )

    def handle(self, *args, name: str, ats: str, **options) -> None:
        try:
            customer = create_customer(name, ats=ats)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(customer.slug)
