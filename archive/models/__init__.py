from .disposal import DisposalBatch, DisposalItem
from .records import ArchiveRecord, FixityCheck, PackageFile, RetentionChange

__all__ = [
    "ArchiveRecord",
    "DisposalBatch",
    "DisposalItem",
    "FixityCheck",
    "PackageFile",
    "RetentionChange",
]
