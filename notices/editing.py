"""The publicity editor: a race with a workflow action answers a clear message, never a 500.

Between the moment the editor loaded (or an autosave began) and the moment it saves, another
window, an autosave or a reviewer may have changed the batch: submitted it to "公示审核",
approved it, or saved a newer revision. Wagtail then raises while it saves (e.g. a second
workflow state for the page). The editor instead gets 409 Conflict with the message: as JSON to
autosave, or as the editor page with their form as they filled it in.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from portal.parsing import parse_int

# The revision ids the editor posts back (set by autosave and the loaded page).
REVISION_FIELDS = ("overwrite_revision_id", "loaded_revision_id")


def conflict_message():
    return _(
        "这条公示刚刚在别处有了变化（另一个窗口、自动保存或审核人的操作，例如已提交审核），"
        "您这次的操作没有完成。请查看它现在的状态后再继续。"
    )


class PublicityEditView(EditView):
    def post(self, request, *args, **kwargs):
        if any(parse_int(request.POST.get(name, "0")) is None for name in REVISION_FIELDS):
            self.form = self.form_class(
                request.POST,
                request.FILES,
                instance=self.page,
                subscription=self.subscription,
                parent_page=self.parent,
                for_user=request.user,
            )
            return self.conflict_response()
        try:
            return super().post(request, *args, **kwargs)
        except (ValidationError, IntegrityError):
            # The form was valid when checked: what fails now is the batch having changed.
            return self.conflict_response()

    def conflict_response(self):
        """409 with the message; the editor's form stays open with what they typed."""
        message = conflict_message()
        if self.expects_json_response:
            return JsonResponse(
                {"success": False, "error_code": "invalid_revision", "error_message": message},
                status=409,
            )
        messages.error(self.request, message)
        self.has_unsaved_changes = True
        response = self.render_to_response(self.get_context_data())
        response.status_code = 409
        return response


class PublicityPageViewSet(PageViewSet):
    edit_view_class = PublicityEditView
