"""Admin forms: publishing an area or grid is refused when it would break tiling."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .geometry import boundary_errors


class BoundaryPageForm(WagtailAdminPageForm):
    """Checks the tiling rule (grids.tiling) when the editor presses "publish"."""

    def clean(self):
        cleaned_data = super().clean()
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
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        problems = publish_problems(candidate, parent=parent)
        if problems:
            self.add_error(
                "boundary",
                forms.ValidationError(
                    [_("不能发布：下级区域必须正好铺满上级区域，不重叠、不留缝。")]
                    + [problem.message() for problem in problems]
                ),
            )
        return cleaned_data
