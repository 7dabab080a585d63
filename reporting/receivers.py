"""Cached reports stay valid until the data behind them changes: every save or delete of a
row a report reads bumps one version number that is part of every cache key; a bulk write of
such rows (``dossiers.signals.rows_changed``) bumps it once."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from counter.models import Ticket
from digitization.models import ReuseChoice, ScannedFile, SignedCopy
from dossiers import signals
from dossiers.models import Dossier, DossierEvent, Rating, StaffProfile, Unit
from feedback.models import Feedback, RatingSentiment
from integrations.models import DossierSync, NationalMessage, Payment, PopulationCheck

from .cache import bump_version
from .models import Target


def _changed(sender, **kwargs):
    bump_version()
    # Again once the change commits: a dashboard polling between the save and the commit
    # cached the figures without it under the version just bumped (reporting/live.py).
    transaction.on_commit(bump_version)


def connect():

    # The QĐ 766 score (reporting/score766) also reads PAKN, the sync with DVCQG, payments,
    # population checks and digitization; the live figures and the satisfaction note read PAKN
    # and the sentiment of comments.
    read_by_score = (Feedback, DossierSync, NationalMessage, Payment, PopulationCheck)
    digitized = (ScannedFile, SignedCopy, ReuseChoice)
    models = (Dossier, DossierEvent, Rating, Ticket, StaffProfile, Unit, Target)
    for model in (*models, *read_by_score, *digitized, RatingSentiment):
        post_save.connect(_changed, sender=model, dispatch_uid=f"reporting-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reporting-del-{model.__name__}")
    signals.rows_changed.connect(_changed, dispatch_uid="reporting-rows-changed")
