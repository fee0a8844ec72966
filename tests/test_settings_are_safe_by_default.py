"""Settings are production-safe when nothing is set; local stacks opt out in their own environment."""
import os
import secrets
import subprocess
import sys

from .conftest import ROOT


def test_with_debug_off_the_deploy_check_finds_nothing():
    # The tests' own opt-outs (and pytest-django's async switch) are not production settings.
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("SECURE_", "USE_X_", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))

    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_make_run_opts_out_of_https_only_settings_in_its_own_environment():
    run_script = (ROOT / "scripts" / "run.sh").read_text()
    settings_file = (ROOT / "newsarchive" / "settings.py").read_text()
    assert "export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0" in run_script
    assert 'SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)' in settings_file
