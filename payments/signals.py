"""What other parts of the product may react to (emails, the timeline), sent by
``payments.transitions`` inside the transaction that made the change.

Receivers run inside that transaction: anything slow or external (an email) must be enqueued
with ``core.background.enqueue``, which waits for the commit, so nothing is sent for a change
that rolled back.
"""

from django.dispatch import Signal

# sender=InvoicePayment; kwargs: payment, previous (the status before)
payment_status_changed = Signal()
# sender=PaymentRefund; kwargs: refund, previous (the status before, or None for a new refund)
refund_status_changed = Signal()
# sender=PaymentDispute; kwargs: dispute, previous (the status before, or None for a new dispute)
dispute_changed = Signal()
