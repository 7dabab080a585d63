"""The reception form's panel that reads the applicant's identity card (served here so the
dossiers app never imports us): the clerk gives the card's image, the panel shows what the
card says, and only the clerk's «Điền vào phiếu» copies it into the form — nothing is saved
until the dossier is received. The image itself is not kept."""

import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from dossiers import queries as dossier_queries
from dossiers.services.access import log_access

from ..id_card import MAX_FILE_BYTES, CardReading, read_card

FIELD = "id_card"
logger = logging.getLogger(__name__)


@login_required
@require_GET
def id_card_panel(request):
    """The panel itself: a file input (a scanner's image or a phone photo)."""
    return render(request, "digitization/_id_card_panel.html", {"field": FIELD})


@login_required
@require_POST
def read_id_card(request):
    """htmx partial: what the card in the uploaded image says, for the clerk to check and
    copy into the form. Counter clerks only; each card read is an access row."""
    unit = dossier_queries.clerk_unit(request.user)
    if unit is None or not unit.has_counter:
        # Said in the panel (200: htmx swaps a 403 nowhere), and refused all the same.
        reading = CardReading("none", error="Chỉ cán bộ Bộ phận Một cửa được đọc thẻ căn cước.")
        return render(request, "digitization/_id_card_result.html", {"r": reading})
    upload = request.FILES.get(FIELD)
    if upload is None:
        reading = CardReading("none", error="Chưa chọn ảnh thẻ căn cước.")
    elif upload.size > MAX_FILE_BYTES:
        reading = CardReading("none", error="Ảnh thẻ lớn quá 15 MB: chụp lại nhỏ hơn.")
    else:
        try:
            reading = read_card(upload.read())
        except Exception:  # a fault of ours, never a 500 at the counter: logged, said
            logger.exception("reading an identity card failed")
            reading = CardReading(
                "none", error="Không đọc được thẻ lúc này: nhập tay các thông tin trên thẻ."
            )
    if reading.source != "none":
        log_access(
            "id_card.read",
            actor=request.user,
            request=request,
            data={"holder": reading.id_number, "source": reading.source},
        )
    return render(request, "digitization/_id_card_result.html", {"r": reading})
