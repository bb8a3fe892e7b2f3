"""Admin forms: publishing an area or grid is refused when it would break tiling."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .geometry import boundary_errors


class BoundaryPageForm(WagtailAdminPageForm):
    """Checks grid codes, and the tiling rule (grids.tiling) when the editor presses "publish"."""

    def clean(self):
        cleaned_data = super().clean()
        self._check_code(cleaned_data)
        boundary = cleaned_data.get("boundary")
        if not self.is_bound or "action-publish" not in self.data or not boundary:
            return cleaned_data
        if boundary_errors(boundary):
            return cleaned_data
        from .tiling import publish_problems

        candidate = copy.copy(self.instance)
        candidate.__dict__.pop("shape", None)
        for name in ("boundary", "code", "title"):
            if name in cleaned_data:
                setattr(candidate, name, cleaned_data[name])
        problems = publish_problems(candidate, parent=self._parent())
        if problems:
            self.add_error(
                "boundary",
                forms.ValidationError(
                    [_("不能发布：下级区域必须正好铺满上级区域，不重叠、不留缝。")]
                    + [problem.message() for problem in problems]
                ),
            )
        return cleaned_data

    def _parent(self):
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return parent.specific if parent is not None else None

    def _check_code(self, cleaned_data):
        """A grid's code is its area's code followed by a sequence number."""
        from .models import AreaPage, GridPage

        code = cleaned_data.get("code") or ""
        parent = self._parent()
        if (
            isinstance(self.instance, GridPage)
            and isinstance(parent, AreaPage)
            and code
            and not (code.startswith(parent.code) and len(code) > len(parent.code))
        ):
            self.add_error(
                "code",
                _("网格编码应以上级区域的编码%(area)s开头，后接序号，例如%(example)s。")
                % {"area": parent.code, "example": f"{parent.code}001"},
            )
