"""Stop reading a pitch deck as soon as it is over the limit, instead of writing it all to disk first."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class PitchDeckSizeLimit(FileUploadHandler):
    """Placed before Django's own handlers: an oversized file is skipped, and the request says so."""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.PITCH_DECK_MAX_BYTES:
            self.request.oversized_uploads = {*getattr(self.request, "oversized_uploads", ()), self.field_name}
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file
