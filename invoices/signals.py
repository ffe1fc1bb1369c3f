"""What other parts of the product may react to when an invoice changes.

Sent inside the transaction that made the change; a receiver with slow or external work (a
gateway call) defers it with ``transaction.on_commit`` or ``core.background.enqueue``.
"""

from django.dispatch import Signal

# sender=Invoice; kwargs: invoice (now void). The payments side closes its open checkouts.
invoice_voided = Signal()
# sender=Invoice; kwargs: invoice, reason ("link_revoked" or "link_replaced"), at (when). The
# payments side closes the checkouts opened through the link before ``at``.
invoice_link_retired = Signal()
