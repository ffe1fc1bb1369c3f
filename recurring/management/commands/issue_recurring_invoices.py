"""Issue the recurring invoices due as of a date, exactly once per period, as the scheduler does."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recurring.services import issue_due


class Command(BaseCommand):
    help = "Issue and send every recurring invoice due as of --as-of (default: each owner's today)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of must be a date: YYYY-MM-DD") from None
        issued = issue_due(as_of=as_of)
        self.stdout.write(f"Issued {issued} recurring invoice(s).")
