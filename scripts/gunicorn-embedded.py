"""gunicorn settings of the embedded mode (`make run`): each worker process starts the
background sweeper of the DVCQG outbox, as Celery beat does in full mode
(integrations/background.py)."""


def post_worker_init(worker):
    # Django is set up only once the worker has loaded the application.
    from integrations.background import start_sweeper

    start_sweeper()
