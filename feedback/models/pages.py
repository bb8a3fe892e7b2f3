"""The feedback form page (/feedback/): editors write its introduction, residents fill it in."""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from portal.page_tree import BelowSiteRoot

DEFAULT_PRIVACY_NOTE = _(
    "您的姓名、电话和电子邮箱只有处理您诉求的工作人员可以看到，不会在网站上公开，"
    "也不会出现在通知邮件中。"
)
DEFAULT_EMERGENCY_NUMBERS = _("报警 110　火警 119　急救 120")


class FeedbackFormPage(BelowSiteRoot, RoutablePageMixin, Page):
    """The form residents use to send feedback, with its confirmation page."""

    introduction = RichTextField(
        _("导语"),
        blank=True,
        features=["bold", "link", "ol", "ul"],
        help_text=_("表单上方的说明：可以反映什么、多久会有答复"),
    )
    privacy_note = models.TextField(
        _("个人信息说明"),
        blank=True,
        default=DEFAULT_PRIVACY_NOTE,
        help_text=_("告诉居民谁能看到联系方式；留空时使用默认说明"),
    )
    emergency_numbers = models.CharField(
        _("紧急电话"),
        max_length=120,
        blank=True,
        default=DEFAULT_EMERGENCY_NUMBERS,
        help_text=_("选择紧急类别时醒目显示，例如：报警 110　火警 119　急救 120"),
    )
    next_steps = RichTextField(
        _("提交后的说明"),
        blank=True,
        features=["bold", "link", "ol", "ul"],
        help_text=_("确认页上“接下来会怎样”的说明；留空时使用默认说明"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("privacy_note"),
        FieldPanel("emergency_numbers"),
        FieldPanel("next_steps"),
    ]

    # Parent: the home page (whose subpage_types list this page type).
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("诉求反馈表单页")
        verbose_name_plural = _("诉求反馈表单页")

    @path("")
    @path("new/")  # the objection link on publicity pages opens /feedback/new/?publicity=…
    def form_view(self, request):
        return self._views().form_page(request, self)

    @path("thanks/")
    def confirmation_view(self, request):
        return self._views().confirmation_page(request, self)

    @staticmethod
    def _views():
        """The intake room's views of this page. The app hands them over when it is ready
        (FeedbackConfig.ready): models sit below the rooms and import none of them."""
        return apps.get_app_config("feedback").form_page_views
