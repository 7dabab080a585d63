from .drafts import DraftFile, OnlineDraft
from .files import ScannedFile, ScannedPage, SignedCopy
from .store import ReuseChoice, StoredDocument

__all__ = [
    "DraftFile",
    "OnlineDraft",
    "ReuseChoice",
    "ScannedFile",
    "ScannedPage",
    "SignedCopy",
    "StoredDocument",
]
