from .disposal import DisposalBatch, DisposalItem
from .records import ArchiveRecord, ArchiveSearch, FixityCheck, PackageFile, RetentionChange

__all__ = [
    "ArchiveRecord",
    "ArchiveSearch",
    "DisposalBatch",
    "DisposalItem",
    "FixityCheck",
    "PackageFile",
    "RetentionChange",
]
