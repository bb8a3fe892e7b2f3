"""The photo view for staff handling a case (photos have no public URL)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.private_files import serve

from ..models import FeedbackPhoto
from .permissions import can_handle


def photo(request, pk):
    """A case photo, for staff handling the case only."""
    record = get_object_or_404(FeedbackPhoto.objects.select_related("case"), pk=pk)
    if not can_handle(request.user, record.case):
        raise Http404
    try:
        return serve(record.file, record.content_type)
    except FileNotFoundError as error:
        raise Http404 from error
