"""The webhook pipeline: one module per job.

- ``receive``: verify a delivery with the gateway's adapter, store it once per (gateway,
  account, event id), then process it.
- ``process``: lock a stored event, find and lock its payment, apply it through
  ``payments.transitions`` and record the outcome (processed, waiting, ignored, flagged, failed).
- ``replay``: the one way to apply a stored event again (the admin action, the
  ``replay_webhook_events`` command and the events waiting for a payment all use it).
- ``codec``: the stored, normalized JSON of a ``GatewayEvent``.
"""
