"""``python -m counterpart --port 8100 --dir /tmp/counterpart``: migrate the counterpart's own
SQLite file, load its demo data, and serve it on 127.0.0.1 with gunicorn (in the foreground)."""

import argparse
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m counterpart")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--dir", default=os.environ.get("COUNTERPART_DIR", ""))
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    if args.dir:
        os.environ["COUNTERPART_DIR"] = args.dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "counterpart.settings"
    # Django only once DJANGO_SETTINGS_MODULE and COUNTERPART_DIR are set (settings read them).
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("counterpart_demo", verbosity=0)
    os.execv(  # noqa: S606 - the counterpart becomes its gunicorn, no shell
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "counterpart.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "1",
            "--threads",
            str(args.threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
    )


if __name__ == "__main__":
    main()
