"""Reads of citizens' records, logged (design.md, security model): every page, API call or
command that shows a dossier, an applicant or a document calls :func:`log_access`, so a view
never writes the audit trail itself and a read cannot be logged one way here and another there.
"""

from ..models import AuditEvent
from . import audit

# What each read is called in Vietnamese, for the access log's readers (archive's page, its
# filter and its CSV): one table for every ``action`` passed to log_access or recorded as
# an ACCESS row.
ACCESS_ACTIONS = {
    "dossier.view": "Xem hồ sơ",
    "dossier.history": "Xem quá trình xử lý (API)",
    "dossier.form_download": "Mở phiếu in",
    "dossier.public_view": "Công dân tra cứu hồ sơ",
    "citizen.dossiers_listed": "Công dân xem danh sách hồ sơ của mình",
    "applicant.lookup": "Tra người nộp theo số giấy tờ",
    "store.lookup": "Tra kho giấy tờ đã số hóa",
    "document.open": "Mở tệp quét",
    "document.search": "Tìm trong văn bản số hóa",
    "archive.view": "Xem hồ sơ lưu trữ",
    "archive.package_download": "Tải gói lưu trữ",
    "population.lookup": "Tra cứu CSDLQG về dân cư",
    "postal.view": "Xem địa chỉ nhận qua bưu chính",
    "payment.receipt": "Xem biên lai lệ phí",
    "register.download": "In sổ theo dõi hồ sơ (Mẫu 06)",
    "id_card.read": "Đọc thẻ căn cước tại quầy",
    "score766.lost": "Xem hồ sơ, PAKN làm mất điểm QĐ 766",
}


def access_action_name(action: str) -> str:
    """The Vietnamese name of a logged read; the key itself for one not in the table."""
    return ACCESS_ACTIONS.get(action, action)


def log_access(action, *, actor, target=None, request=None, reason="", data=None):
    """One ACCESS audit row: who read what (``action`` e.g. ``dossier.view``,
    ``document.open``), when, from where and, when asked for, why. Append-only; call it where
    the read happens, after the permission check."""
    return audit.record(
        AuditEvent.Kind.ACCESS,
        action,
        actor=actor,
        target=target,
        request=request,
        reason=reason,
        data=data,
    )
