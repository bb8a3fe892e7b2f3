"""Issuing Open311 keys in the admin: the key is made when the snippet is created and shown on
the page that answers the save, once; only its digest is kept (feedback.models.Open311Key)."""

from functools import cached_property

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from ..models import Open311Key


class IssueKeyView(CreateView):
    """Create an Open311Key: a new random key, shown once on the answer to the save."""

    raw_key = ""

    @cached_property
    def expects_json_response(self):
        # The key exists only in this answer: always a page a person reads, never JSON.
        return False

    def save_instance(self):
        self.raw_key = self.form.instance.issue()
        return super().save_instance()

    def save_action(self):
        response = TemplateResponse(
            self.request,
            "feedback/admin/open311_key_issued.html",
            {
                "key": self.object,
                "raw_key": self.raw_key,
                "index_url": self.get_success_url(),
            },
        )
        # Neither the browser nor any proxy keeps the page with the key.
        response["Cache-Control"] = "no-store"
        return response


class Open311KeyViewSet(SnippetViewSet):
    model = Open311Key
    icon = "key"
    menu_label = _("Open311密钥")
    add_view_class = IssueKeyView
    copy_view_enabled = False
    list_display = ["owner", "key_prefix", "rate_limit", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
