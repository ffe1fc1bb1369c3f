"""PayPal for Trackify: a gateway plugin installed through the ``trackify.payment_gateways``
entry-point group. Trackify's core never imports this package; the registry loads
``trackify_paypal.gateway:PayPalGateway`` when the distribution is installed."""
