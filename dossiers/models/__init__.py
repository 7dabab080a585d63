from .audit import AuditEvent
from .calendar import CalendarOverride
from .catalogue import (
    DocumentType,
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureStep,
    time_label,
)
from .dossier import (
    ONLINE_CHANNELS,
    Applicant,
    Channel,
    Dossier,
    DossierComponent,
    DossierCounter,
)
from .history import DossierEvent, PrintedForm
from .notification import Notification
from .rating import Rating
from .revisions import ProcedureRevision
from .staff import StaffProfile
from .units import Succession, Unit, UnitLevel, predecessor_ids

__all__ = [
    "Applicant",
    "AuditEvent",
    "CalendarOverride",
    "Channel",
    "ONLINE_CHANNELS",
    "DocumentType",
    "Dossier",
    "DossierComponent",
    "DossierCounter",
    "DossierEvent",
    "PrintedForm",
    "Notification",
    "Field",
    "Procedure",
    "ProcedureComponent",
    "ProcedureRevision",
    "ProcedureStep",
    "Rating",
    "StaffProfile",
    "Succession",
    "Unit",
    "UnitLevel",
    "predecessor_ids",
    "time_label",
]
