"""Without the ``trackify-razorpay`` distribution, Trackify starts and simply has no Razorpay.

A subprocess starts Django with the distribution hidden the way an uninstall would leave it:
its metadata (so no entry point names it) and its package (so nothing can import it) are gone
from the interpreter, through a ``sitecustomize`` module on ``PYTHONPATH``. The same script with
nothing hidden sees Razorpay, so the test can tell the two apart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

HIDE = textwrap.dedent(
    """
    import importlib.abc
    import importlib.metadata as metadata

    _distributions = metadata.distributions

    def distributions(**kwargs):
        for dist in _distributions(**kwargs):
            if (dist.metadata["Name"] or "").lower() != "trackify-razorpay":
                yield dist

    metadata.distributions = distributions

    class _Uninstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "trackify_razorpay" or name.startswith("trackify_razorpay."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    import sys
    sys.meta_path.insert(0, _Uninstalled())
    """
)

PROBE = textwrap.dedent(
    """
    import json, uuid
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from rest_framework.test import APIRequestFactory, force_authenticate
    from django.contrib.auth import get_user_model
    from payments.api.views import GatewayTypesView
    from payments.connections import gateway_for
    from payments.errors import UnknownGateway
    from payments.models import PaymentGatewayConfig

    call_command("check", verbosity=0)
    request = APIRequestFactory().get("/api/payment/gateway-types/")
    force_authenticate(request, user=get_user_model()(username="owner"))
    types = GatewayTypesView.as_view()(request)
    webhook = Client().post(f"/api/payment/webhook/razorpay/{uuid.uuid4()}/", b"{}", content_type="application/json")
    try:
        gateway_for(PaymentGatewayConfig(gateway_name="razorpay", mode="test"))
        vanished = ""
    except UnknownGateway as exc:
        vanished = exc.message
    try:
        import trackify_razorpay  # noqa: F401
        importable = True
    except ModuleNotFoundError:
        importable = False
    print(json.dumps({
        "types": [t["name"] for t in types.data],
        "webhook": [webhook.status_code, webhook.json().get("code")],
        "vanished": vanished,
        "importable": importable,
    }))
    """
)


def probe(tmp_path: Path, *, hidden: bool) -> dict[str, object]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "trackify.settings_test"}
    if hidden:
        (tmp_path / "sitecustomize.py").write_text(HIDE)
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_core_starts_without_the_plugin_and_names_what_vanished(tmp_path):
    gone = probe(tmp_path, hidden=True)
    assert gone["importable"] is False
    assert "razorpay" not in gone["types"] and {"sandbox", "stripe", "paypal"} <= set(gone["types"])
    assert gone["webhook"] == [404, "unknown_gateway"]
    assert gone["vanished"] == "No payment gateway named 'razorpay' is installed."


def test_with_the_plugin_installed_razorpay_is_offered(tmp_path):
    present = probe(tmp_path, hidden=False)
    assert present["importable"] is True
    assert "razorpay" in present["types"]
    assert present["vanished"] == ""
