from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The national platforms: DVCQG sync and inbound dossiers, VNeID (issue #18)."""

    name = "integrations"
    verbose_name = "Kết nối nền tảng quốc gia"

    def ready(self):
        from dossiers import hooks, public_identity

        from . import (
            payment_queries,
            payments,
            population_receivers,
            postal,
            postal_status,
            receivers,  # noqa: F401 - connects the receivers
            receivers_payment,  # noqa: F401 - refund due when a paid dossier is refused
            vneid,
        )

        if "integrations:dossier-sync" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("integrations:dossier-sync")
        # CSDLQG về dân cư: the reception form's look-up, the dossier page's check, Mẫu 01's line.
        if "integrations:population-reception" not in hooks.RECEPTION_PANELS_ONCE:
            hooks.RECEPTION_PANELS_ONCE.append("integrations:population-reception")
        if "integrations:population-dossier" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("integrations:population-dossier")
        if population_receivers.receipt_lines not in hooks.RECEIPT_LINES:
            hooks.RECEIPT_LINES.append(population_receivers.receipt_lines)
        if population_receivers.replaced_papers not in hooks.RECEPTION_WAIVERS:
            hooks.RECEPTION_WAIVERS.append(population_receivers.replaced_papers)
        # Fees (issue #19): the panel, no return before the fee is paid, the status page line.
        if "integrations:dossier-fee" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("integrations:dossier-fee")
        if payments.guard_return not in hooks.ACTION_GUARDS:
            hooks.ACTION_GUARDS.append(payments.guard_return)
        if payment_queries.status_line not in hooks.PUBLIC_STATUS_LINES:
            hooks.PUBLIC_STATUS_LINES.append(payment_queries.status_line)
        # The public postal service (QĐ 45/2016/QĐ-TTg): the choice at reception and online,
        # the line on Mẫu 01, the shipment's panel on the dossier page.
        if "integrations:postal-choice" not in hooks.RECEPTION_PANELS:
            hooks.RECEPTION_PANELS.append("integrations:postal-choice")
        if "integrations:postal-panel" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("integrations:postal-panel")
        if postal_status.status_line not in hooks.PUBLIC_STATUS_LINES:
            hooks.PUBLIC_STATUS_LINES.append(postal_status.status_line)
        if postal.receipt_lines not in hooks.RECEIPT_LINES:
            hooks.RECEIPT_LINES.append(postal.receipt_lines)
        if postal.ONLINE_PART not in hooks.ONLINE_FORM_PARTS:
            hooks.ONLINE_FORM_PARTS.append(postal.ONLINE_PART)
        # The public header's "Đăng nhập bằng VNeID" (shown while an issuer is configured).
        public_identity.offer_sign_in(
            vneid.NAME,
            label="Đăng nhập bằng VNeID",
            url_name="vneid-login",
            sign_out_url_name="vneid-logout",
            enabled=vneid.configured,
        )
