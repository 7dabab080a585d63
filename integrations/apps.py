from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The national platforms: DVCQG sync and inbound dossiers, VNeID (issue #18)."""

    name = "integrations"
    verbose_name = "Kết nối nền tảng quốc gia"

    def ready(self):
        from dossiers import hooks, public_identity

        from . import (
            population_receivers,
            receivers,  # noqa: F401 - connects the receivers
            vneid,
        )

        if "integrations:dossier-sync" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("integrations:dossier-sync")
        # CSDLQG về dân cư: the reception form's look-up, the dossier page's check, Mẫu 01's line.
        if "integrations:population-reception" not in hooks.RECEPTION_PANELS_ONCE:
            hooks.RECEPTION_PANELS_ONCE.append("integrations:population-reception")
        if "integrations:population-dossier" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("integrations:population-dossier")
        if population_receivers.receipt_note not in hooks.RECEIPT_NOTES:
            hooks.RECEIPT_NOTES.append(population_receivers.receipt_note)
        if population_receivers.replaced_papers not in hooks.RECEPTION_WAIVERS:
            hooks.RECEPTION_WAIVERS.append(population_receivers.replaced_papers)
        # The public header's "Đăng nhập bằng VNeID" (shown while an issuer is configured).
        public_identity.offer_sign_in(
            vneid.NAME,
            label="Đăng nhập bằng VNeID",
            url_name="vneid-login",
            sign_out_url_name="vneid-logout",
            enabled=vneid.configured,
        )
