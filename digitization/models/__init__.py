from .files import ScannedFile, ScannedPage, SignedCopy
from .store import ReuseChoice, StoredDocument

__all__ = ["ReuseChoice", "ScannedFile", "ScannedPage", "SignedCopy", "StoredDocument"]
