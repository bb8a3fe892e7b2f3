"""The feedback form: what a resident fills in, checked field by field with clear messages."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from grids.context import communities
from grids.enums import COMMUNITY_LEVELS
from grids.lookup import find_by_text
from grids.models import AreaPage, GridPage
from notices.models import ApprovalOutcomePage
from portal import versions
from portal.parsing import parse_id

from ..models import FeedbackCategory
from .photos import MAX_PHOTOS, clean_photo

UNKNOWN_GRID = "unknown"
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,24}$")


GRID_CHOICES_TIMEOUT = 60 * 60

PUBLICITY_REFUSED = _(
    "只能对公示期内的公示提出异议，这份公示已经结束或不存在。"
    "您填写的内容都已保留；再次提交时不再关联这份公示。"
)
# The same, for a link (?publicity=) that names no publicity still in its period.
PUBLICITY_LINK_REFUSED = _(
    "只能对公示期内的公示提出异议，这个链接所指的公示已经结束或不存在。"
    "如有其他问题，仍可以在下面反映。"
)


def open_publicity(value):
    """The publicity batch an objection may name, from a form or query value: a live, public
    ApprovalOutcomePage whose publicity period has not ended; None for anything else."""
    pk = parse_id(value)
    if pk is None:
        return None
    return ApprovalOutcomePage.objects.open_to_objection().filter(pk=pk).first()


def grid_choices(community=None):
    """The grid list for one community (its grids grouped by area, then "not sure which grid"),
    or without a community the communities themselves ("c<id>"); cached under the area tree's
    version ("grids"). The list never holds every grid of the install: a city has thousands."""
    return versions.cached(
        "feedback:grid-choices",
        translation.get_language(),
        community.pk if community is not None else "-",
        build=lambda: _grid_choices(community),
        depends_on=[versions.GRIDS],
        timeout=GRID_CHOICES_TIMEOUT,
    )


def community_choices():
    """[(id, label)] of the live communities (社区, 村) in code order ("<subdistrict> · <name>"),
    cached like the grids."""

    def build():
        return [(area.pk, area.label) for area in communities()]

    return versions.cached(
        "feedback:communities",
        build=build,
        depends_on=[versions.GRIDS],
        timeout=GRID_CHOICES_TIMEOUT,
    )


def chosen_community(value):
    """The live community a `?community=` value names, or None."""
    pk = parse_id(value)
    if pk is None:
        return None
    return AreaPage.objects.live().filter(pk=pk, level__in=COMMUNITY_LEVELS).first()


def grid_and_community(value):
    """(grid, community) for a grid list value ("g<id>" or "c<id>"), None when it names no live
    grid or area; cached under the area tree's version like the list itself."""
    kind, pk = value[:1], parse_id(value[1:])
    if kind not in ("g", "c") or pk is None:
        return None

    def build():
        if kind == "g":
            grid = GridPage.objects.live().filter(pk=pk).first()
            return (grid, grid.community()) if grid is not None else None
        community = AreaPage.objects.live().filter(pk=pk).first()
        return (None, community) if community is not None else None

    # A value naming nothing is not kept (anyone can send one).
    return versions.cached(
        "feedback:grid-value",
        f"{kind}{pk}",
        build=build,
        depends_on=[versions.GRIDS],
        timeout=GRID_CHOICES_TIMEOUT,
        keep_none=False,
    )


def _base_choices():
    return [("", str(_("请选择网格"))), (UNKNOWN_GRID, str(_("我不知道（由社区服务中心受理）")))]


def _grid_choices(community=None):
    """Values: "g<id>" for a grid, "c<id>" for a community (grid unknown), "unknown".

    With a community: its grids grouped by the areas below it, ending with "not sure which grid
    (community)". Without: the communities, each meaning "in this community, grid unknown"."""
    choices = _base_choices()
    if community is None:
        options = [
            (f"c{pk}", str(_("不清楚具体网格（%(name)s）")) % {"name": title})
            for pk, title in community_choices()
        ]
        if options:
            choices.append((str(_("只选社区")), options))
        return choices
    areas = {
        a.path: a
        for a in AreaPage.objects.live()
        .descendant_of(community, inclusive=True)
        .only("id", "title", "path", "level")
    }
    grids = (
        GridPage.objects.live()
        .descendant_of(community)
        .only("id", "title", "code", "path")
        .order_by("path")
    )
    groups, order = {}, []
    for grid in grids:
        parent = areas.get(grid.path[: -GridPage.steplen])
        chain = [
            areas[grid.path[:i]]
            for i in range(GridPage.steplen, len(grid.path), GridPage.steplen)
            if grid.path[:i] in areas
        ]
        key = parent.path if parent else ""
        if key not in groups:
            groups[key] = {"label": " · ".join(a.title for a in chain), "options": []}
            order.append(key)
        groups[key]["options"].append((f"g{grid.pk}", f"{grid.title}（{grid.code}）"))
    for number, key in enumerate(order, start=1):
        options = list(groups[key]["options"])
        if number == len(order):
            label = str(_("不清楚具体网格（%(name)s）")) % {"name": community.title}
            options.append((f"c{community.pk}", label))
        choices.append((groups[key]["label"] or community.title, options))
    if not order:
        label = str(_("不清楚具体网格（%(name)s）")) % {"name": community.title}
        choices.append((community.title, [(f"c{community.pk}", label)]))
    return choices


class GridField(forms.ChoiceField):
    """A grid list value: any live grid or community is accepted, not only those listed (the
    list shows one community; the address lookup may set a grid of another)."""

    def valid_value(self, value):
        return value == UNKNOWN_GRID or (bool(value) and grid_and_community(value) is not None)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos, each checked and re-encoded by feedback.intake.photos."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f] if isinstance(data, list | tuple) else []
        if data and not isinstance(data, list | tuple):
            files = [data]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("最多上传3张照片。"), code="too_many")
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(clean_photo(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class FeedbackForm(forms.Form):
    """A resident's feedback. The honeypot `website` is hidden from people and left empty."""

    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=FeedbackCategory.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择一个类别。"),
            "invalid_choice": _("请从列表中选择一个类别。"),
        },
    )
    grid = GridField(
        label=_("所在网格"),
        help_text=_("从列表中选择您所在的网格；不清楚时选“我不知道”，由社区服务中心受理。"),
        error_messages={
            "required": _("请选择网格；不清楚时请选“我不知道”。"),
            "invalid_choice": _("请从列表中选择网格；不清楚时请选“我不知道”。"),
        },
    )
    place = forms.CharField(
        label=_("地点"),
        required=False,
        max_length=120,
        help_text=_("例如：希望家园3号楼东侧"),
        error_messages={"max_length": _("地点最多120个字（现在%(show_value)d个）。")},
    )
    subject = forms.CharField(
        label=_("标题"),
        max_length=80,
        help_text=_("一句话说明是什么事"),
        error_messages={
            "required": _("请填写标题。"),
            "max_length": _("标题最多80个字（现在%(show_value)d个）。"),
        },
    )
    message = forms.CharField(
        label=_("内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明发生了什么、在哪里、从什么时候开始，最多2000字"),
        error_messages={
            "required": _("请填写内容。"),
            "max_length": _("内容最多2000字（现在%(show_value)d字），请删减后再提交。"),
        },
    )
    photos = PhotosField(
        label=_("照片（可选）"),
        required=False,
        help_text=_("最多3张，JPEG、PNG、WebP或HEIC格式，每张不超过8 MB；位置等信息会被清除"),
        widget=MultiplePhotoInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"}
        ),
    )
    contact_name = forms.CharField(
        label=_("姓名（可选）"),
        required=False,
        max_length=40,
        error_messages={"max_length": _("姓名最多40个字。")},
    )
    contact_phone = forms.CharField(
        label=_("电话（可选）"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": _("电话最多30个字符。")},
    )
    contact_email = forms.EmailField(
        label=_("电子邮箱（可选）"),
        required=False,
        max_length=254,
        help_text=_("填写后会收到受理回执和答复"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请输入有效的电子邮箱，例如 name@example.com。")},
    )
    public_consent = forms.BooleanField(
        label=_("可以公开展示本诉求的内容（不含个人信息）"),
        required=False,
        initial=False,
        help_text=_(
            "勾选后，诉求的类别、内容和答复可以在本站和开放数据接口中公开，"
            "电话、身份证号等会被隐去；姓名、电话、邮箱和照片始终不公开。"
        ),
    )
    # Set when the form has already asked the resident to pick among the address's grids: "not
    # sure" then goes to the service centre rather than asking again.
    grid_asked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    publicity = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("请不要填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FeedbackCategory.objects.filter(active=True)
        if community is None and self.is_bound:
            # The list the resident sent from: the community of the grid they chose.
            found = grid_and_community(str(self.data.get(self.add_prefix("grid")) or ""))
            community = found[1] if found is not None else None
        if community is None and not self.is_bound:
            # An install with one community lists its grids straight away.
            only = community_choices()
            if len(only) == 1:
                community = chosen_community(only[0][0])
        self.community = community
        self.fields["grid"].choices = grid_choices(community)
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["message"].widget.attrs["maxlength"] = "2000"

    def annotate(self):
        """Tie each widget to its help text and errors for screen readers (after validation)."""
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.id_for_label}_help")
            if self.is_bound and bound.errors:
                ids.insert(0, f"{bound.id_for_label}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids and name != "category":
                field.widget.attrs["aria-describedby"] = " ".join(ids)
        return self

    def selected_category(self):
        """The chosen category's id as text ("" when none), for the radio list."""
        value = self["category"].value()
        return str(getattr(value, "pk", value) or "")

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("请输入有效的电话号码，只用数字，例如 13800000000。"))
        return phone

    def clean_subject(self):
        return " ".join(self._not_blank("subject", _("请填写标题。")).split())

    def clean_place(self):
        return " ".join(self.cleaned_data["place"].split())

    def clean_message(self):
        return self._not_blank("message", _("请填写内容。"))

    def _not_blank(self, name, text):
        value = self.cleaned_data[name].strip()
        if not value:
            raise ValidationError(text)
        return value

    def clean_grid(self):
        """(grid, community) from the chosen value; (None, None) for "I don't know"."""
        value = self.cleaned_data["grid"]
        if value == UNKNOWN_GRID:
            return (None, None)
        found = grid_and_community(value)
        if found is None:
            raise ValidationError(_("请从列表中选择网格；不清楚时请选“我不知道”。"))
        return found

    def clean_publicity(self):
        value = self.cleaned_data.get("publicity")
        if not value:
            return None
        publicity = open_publicity(value)
        if publicity is None:
            raise ValidationError(PUBLICITY_REFUSED, code="publicity")
        return publicity

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(_("提交未成功，请刷新页面后重试。"), code="honeypot")
        self._ask_grid(cleaned)
        publicity, category = cleaned.get("publicity"), cleaned.get("category")
        # An objection link keeps its publicity only for the objection category.
        if publicity is not None and category is not None and category.work_type != "objection":
            cleaned["publicity"] = None
        return cleaned

    grid_candidates = ()

    def _ask_grid(self, cleaned):
        """No grid chosen, but the place names one or more: ask the resident to pick (once)."""
        if cleaned.get("grid") != (None, None) or cleaned.get("grid_asked"):
            return
        place = cleaned.get("place") or ""
        matches = find_by_text(place) if place else []
        if matches:
            self.grid_candidates = matches
            self.add_error(
                "grid",
                ValidationError(
                    _("请根据地点选择所在网格；不确定时选“不确定”，由社区服务中心受理。"),
                    code="choose_grid",
                ),
            )

    @property
    def is_honeypot_hit(self):
        return any(error.code == "honeypot" for error in self.non_field_errors().as_data())
