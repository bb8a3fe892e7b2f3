"""The subscribe form and the manage-link form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.parsing import parse_text

from ..enums import AlertFrequency

KINDS = [
    ("notices", _("新通知")),
    ("urgent", _("紧急通知（总是立即发送）")),
    ("publicity", _("公示")),
]
ALL = ""


def scope_choices():
    """ "Everything", then each live area and grid, in tree order, indented by depth."""
    from grids.models import AreaPage, GridPage

    pages = sorted(
        [
            *AreaPage.objects.live().public().only("pk", "title", "code", "path", "depth"),
            *GridPage.objects.live().public().only("pk", "title", "code", "path", "depth"),
        ],
        key=lambda page: page.path,
    )
    top = min((page.depth for page in pages), default=0)
    choices = [(ALL, _("全部网格（整个社区）"))]
    for page in pages:
        indent = "\u3000" * (page.depth - top)
        choices.append((page.code, f"{indent}{page.title}（{page.code}）"))
    return choices


def scope_page(code):
    """The live area or grid with this code, or None."""
    from grids.models import AreaPage, GridPage

    code = parse_text(code)
    if not code:
        return None
    for model in (GridPage, AreaPage):
        page = model.objects.live().public().filter(code=code).first()
        if page is not None:
            return page
    return None


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        help_text=_("我们会先发一封确认邮件；点击其中的链接后才开始发送。"),
    )
    scope = forms.ChoiceField(
        label=_("订阅范围"), required=False, help_text=_("选择您所在的网格、片区或社区")
    )
    kinds = forms.MultipleChoiceField(
        label=_("订阅内容"),
        choices=KINDS,
        widget=forms.CheckboxSelectMultiple,
        initial=["notices", "urgent"],
    )
    category = forms.ModelChoiceField(
        label=_("通知类别"),
        queryset=None,
        required=False,
        empty_label=_("全部类别"),
        help_text=_("只收某一类通知时选择；紧急通知不受类别限制"),
    )
    frequency = forms.ChoiceField(
        label=_("发送频率"),
        choices=AlertFrequency.choices,
        initial=AlertFrequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        from ..models import NoticeCategory

        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()
        self.fields["category"].queryset = NoticeCategory.objects.all()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_scope(self):
        code = self.cleaned_data.get("scope") or ALL
        if code == ALL:
            return None
        page = scope_page(code)
        if page is None:
            raise ValidationError(_("没有这个网格或区域。"))
        return page


class ManageLinkForm(forms.Form):
    email = forms.EmailField(label=_("电子邮箱"), max_length=254)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
