"""The publicity editor's form as the admin posts it, for tests that drive the admin URLs."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from notices.models import ApprovalMatter


def publicity_form(page=None, **fields):
    """POST data for the publicity editor: `page`'s values (or a new batch's) with `fields` over."""
    values = {
        "title": page.title if page else "2026年第9批临时救助对象公示",
        "slug": page.slug if page else "batch-9",
        "matter": page.matter_id if page else ApprovalMatter.objects.get(slug="other").pk,
        "introduction": "",
        "publicity_start": str(page.publicity_start) if page else "2026-12-01",
        "publicity_days": 7,
        "objection_contact": "明华社区服务中心 010-6543 2100",
        "outcomes": inline_formset(
            [
                {
                    "applicant": "张小三",
                    "grid_name": "第一网格",
                    "household_size": 1,
                    "benefit": "",
                    "decision": "approved",
                    "note": "",
                }
            ]
        ),
        "stages": inline_formset([]),
        "comments": inline_formset([]),
    }
    overrides = {key: value for key, value in fields.items() if "-" not in key}
    data = nested_form_data({**values, **overrides})
    data.update({key: value for key, value in fields.items() if "-" in key})
    return data
