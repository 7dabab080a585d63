from .id_card import id_card_panel, read_id_card
from .reuse import open_reused, reuse_panel
from .scans import (
    dossier_scans,
    open_file,
    retry_scan,
    scan_file,
    sign_scan,
    signature_report,
    upload_scans,
)
from .search import search
from .tray import assign_scan, tray

__all__ = [
    "assign_scan",
    "dossier_scans",
    "id_card_panel",
    "open_file",
    "open_reused",
    "read_id_card",
    "retry_scan",
    "reuse_panel",
    "scan_file",
    "search",
    "sign_scan",
    "signature_report",
    "tray",
    "upload_scans",
]
