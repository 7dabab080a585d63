#!/usr/bin/env bash
# collectstatic (hashing + compression take ~20 s), only when the static sources or the
# installed packages changed since the last collection into $STATIC_ROOT.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(.venv/bin/python -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacyen_portal.settings"); django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)')
stamp=$( (cat pyproject.toml; find static -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)
if [ ! -f "$root/.collected-$stamp" ]; then
  .venv/bin/python manage.py collectstatic --noinput -v0
  rm -f "$root"/.collected-*
  touch "$root/.collected-$stamp"
fi
