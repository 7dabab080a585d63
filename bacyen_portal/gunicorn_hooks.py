"""gunicorn's hooks for the web processes (deploy/systemd/cong-mot-cua-web.service passes
``--config python:bacyen_portal.gunicorn_hooks``).

Each new web process prints one blank page before it takes a request: WeasyPrint's import
(Pango, fontconfig) and first layout cost about 0.7 s on this project's machines, which the
first clerk to receive a dossier on each process — every morning, after every restart — would
otherwise wait for on top of the Mẫu 01 itself (bench/bench_load.py)."""


def post_worker_init(worker):
    # Imported here: the hook module is read by gunicorn's master before Django is set up;
    # the worker has loaded the application (and Django) by the time this runs.
    from dossiers.printing import warm_up

    warm_up()
