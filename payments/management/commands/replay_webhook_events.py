"""Apply stored webhook events again (``payments.webhooks.replay``): the failed ones, or those named."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from payments.models import PaymentWebhookEvent, WebhookEventStatus
from payments.webhooks.process import EventProcessingFailed
from payments.webhooks.replay import release_waiting, replay


class Command(BaseCommand):
    help = "Process failed webhook events again (or the events given by --event-id / --status)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--event-id", action="append", default=[], help="A gateway event id; repeatable.")
        parser.add_argument(
            "--status",
            action="append",
            choices=[
                WebhookEventStatus.FAILED,
                WebhookEventStatus.RECEIVED,
                WebhookEventStatus.WAITING,
                WebhookEventStatus.IGNORED,
            ],
            help="Replay events in this status (default: failed and stuck received ones).",
        )
        parser.add_argument("--gateway", help="Only events of this gateway.")
        parser.add_argument(
            "--account",
            help="Only events received for this gateway config id (or 'platform'): event ids are unique per account.",
        )
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        rows = PaymentWebhookEvent.objects.select_related("gateway_config").order_by("received_at")
        if options["event_id"]:
            rows = rows.filter(event_id__in=options["event_id"])
        else:
            rows = rows.filter(status__in=options["status"] or [WebhookEventStatus.FAILED, WebhookEventStatus.RECEIVED])
        if options["gateway"]:
            rows = rows.filter(gateway_name=options["gateway"])
        if options["account"]:
            rows = rows.filter(gateway_account=options["account"])
        rows = list(rows[: options["limit"]])
        if options["event_id"] and not rows:
            raise CommandError("No stored event has that id.")
        ok = failed = 0
        for row in rows:
            try:
                result = replay(row)
            except EventProcessingFailed as exc:
                failed += 1
                self.stderr.write(f"  {row.event_id} {row.event_type} ({row.gateway_account}): failed ({exc.__cause__})")
            else:
                release_waiting(result)
                ok += 1
                self.stdout.write(f"  {row.event_id} {row.event_type} ({row.gateway_account}): {result.status}")
        self.stdout.write(f"Replayed {len(rows)} event(s): {ok} done, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} event(s) still fail; see the errors above and in the admin.")
