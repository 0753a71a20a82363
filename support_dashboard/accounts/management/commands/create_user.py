from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from support_dashboard.accounts.models import Role
from support_dashboard.accounts.services import UserInputError, create_user
from support_dashboard.customers.models import Customer


class Command(BaseCommand):
    help = (
        "Create a user and print a password; for recruiters also print a personal "
        "API token. Both are shown only once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", choices=Role.values, required=True)
        parser.add_argument(
            "--customer",
            metavar="SLUG",
            help="The recruiter's customer (required for recruiters).",
        )

    def handle(self, *args, email: str, role: str, customer: str | None, **options):
        company = None
        if customer:
            company = Customer.objects.filter(slug=customer).first()
            if company is None:
                raise CommandError(f"No customer with slug {customer!r}.")
        try:
            user, password, token = create_user(email, role=role, customer=company)
        except UserInputError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"email: {user.email}")
        self.stdout.write(f"password: {password}")
        if token:
            self.stdout.write(f"api token: {token}")
