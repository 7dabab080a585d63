"""Sending a citizen's file (a scan, a printed form, a package, a minute) after the view has
checked the permission and written the access log: one helper for every download.

Behind nginx (PROTECTED_FILES_ACCEL_PREFIX set, files on the local disk) the answer carries
``X-Accel-Redirect`` and no body: nginx sends the file from its ``internal`` location, so a
large file does not hold a gunicorn thread, and the file is still reachable only through the
view. Otherwise (embedded mode, files in an S3-compatible store, a generated file) Django
streams it."""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def file_response(source, *, filename, content_type, attachment=False):
    """The response that sends ``source`` (a stored FieldFile, or an open binary file), shown in
    the browser unless ``attachment``; never sniffed into another type."""
    prefix = settings.PROTECTED_FILES_ACCEL_PREFIX
    if prefix and isinstance(source, FieldFile) and isinstance(source.storage, FileSystemStorage):
        source.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(source.name)
        response["Content-Disposition"] = content_disposition_header(attachment, filename)
    else:
        if isinstance(source, FieldFile):
            source.open("rb")
        response = FileResponse(
            source, content_type=content_type, filename=filename, as_attachment=attachment
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response
