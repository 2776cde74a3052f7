"""What a web process loads (issue 13: a warmed-up gunicorn worker ≤ 120 MB RSS, docs/performance.md).

A fresh interpreter starts the WSGI application as gunicorn does and resolves every address, then says which heavy
packages it holds. Those needed only by tasks, imports, exports or WebAuthn (which Kelisim does not offer) stay out;
the deferred WebAuthn module still loads, whole, the moment something uses it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Each costs MB in every worker; who needs it: the duplicate task (numpy), spreadsheet imports and exports
# (openpyxl), WebAuthn (fido2 with its public suffix list, cryptography's Rust library), PostgreSQL (psycopg).
KEPT_OUT = ("numpy", "openpyxl", "fido2", "cryptography", "psycopg")

PROBE = """
import json, sys
from kelisim.wsgi import application
from kelisim.core.warmup import warm_up
warm_up()  # as gunicorn's post_worker_init does: every address resolvable, catalogues and base template ready
loaded = {name for name in KEPT_OUT if name in sys.modules}
from django.conf import settings
from django.template import engines
from django.utils.translation import trans_real
compiled = engines["django"].engine.template_loaders[0].get_template_cache
warmed = {
    "views": "kelisim.api.api" in sys.modules and "kelisim.consultations.views" in sys.modules,
    "catalogues": sorted(code for code in trans_real._translations if code in dict(settings.LANGUAGES)),
    "base template": "base.html" in compiled,
}
import gc
frozen, tracked = gc.get_freeze_count(), len(gc.get_objects())
from allauth.mfa.webauthn.internal import auth
used = auth.WebAuthn.__name__  # first use loads the module and fido2
print(json.dumps({"loaded": sorted(loaded), "after_use": "fido2" in sys.modules, "used": used, "warmed": warmed,
                  "frozen": frozen, "tracked": tracked}))
"""


def test_a_warmed_up_web_process_is_ready_without_the_heavy_packages_tasks_and_exports_need(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kelisim.settings",
        "KELISIM_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kelisim.sqlite3'}",
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(  # noqa: S603 - our interpreter, our probe
        [sys.executable, "-c", f"KEPT_OUT = {KEPT_OUT!r}\n{PROBE}"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["loaded"] == []
    assert report["after_use"] is True
    assert report["used"] == "WebAuthn"
    assert report["warmed"] == {"views": True, "catalogues": ["en", "kk", "ru"], "base template": True}
    # What the process keeps for its life is out of the collector's sight: a full collection has little to walk.
    assert report["frozen"] > 50_000
    assert report["tracked"] < report["frozen"] / 5
