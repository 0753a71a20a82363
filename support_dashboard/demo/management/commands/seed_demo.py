from __future__ import annotations

from django.core.management.base import BaseCommand

from support_dashboard.demo.seeding import seed_demo


class Command(BaseCommand):
    help = "Create or reset the demo customers, users and JazzHR connection."

    def handle(self, *args, **options) -> None:
        for login in seed_demo():
            line = f"{login.role:<10} {login.email:<24} password: {login.password}"
            if login.api_token:
                line += f"  api token: {login.api_token}"
            self.stdout.write(line)
