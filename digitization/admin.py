from django.contrib import admin

from .models import ReuseChoice, ScannedFile, SignedCopy, StoredDocument


@admin.register(ScannedFile)
class ScannedFileAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "dossier",
        "role",
        "state",
        "page_count",
        "attempts",
        "created_at",
    )
    list_filter = ("state", "role", "source", "unit")
    search_fields = ("original_name", "dossier__code", "sha256")
    readonly_fields = [f.name for f in ScannedFile._meta.fields]

    def has_add_permission(self, request):
        return False  # files come in through intake, never typed in


@admin.register(SignedCopy)
class SignedCopyAdmin(admin.ModelAdmin):
    list_display = ("scanned_file", "unit", "signer_name", "signed_at")
    readonly_fields = [f.name for f in SignedCopy._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a signed copy is never modified


@admin.register(StoredDocument)
class StoredDocumentAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "holder_name",
        "holder_id",
        "document_type",
        "issued_on",
        "valid_until",
    )
    list_filter = ("document_type",)
    search_fields = ("holder_id", "holder_name", "title")
    fields = ("valid_until",)  # only the validity end may be corrected


@admin.register(ReuseChoice)
class ReuseChoiceAdmin(admin.ModelAdmin):
    list_display = ("dossier", "component", "document", "reused", "chosen_at")
    list_filter = ("reused",)

    def has_add_permission(self, request):
        return False
