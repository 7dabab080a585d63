"""gunicorn settings of the embedded mode (`make run`): each worker process warms the PDF
printer as in production (bacyen_portal/gunicorn_hooks.py) and starts the background sweeper
of the DVCQG outbox, as Celery beat does in full mode (integrations/background.py)."""


def post_worker_init(worker):
    # Django is set up only once the worker has loaded the application.
    from bacyen_portal import gunicorn_hooks
    from integrations.background import start_sweeper

    gunicorn_hooks.post_worker_init(worker)
    start_sweeper()
