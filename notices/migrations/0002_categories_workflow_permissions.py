"""The default notice categories and approval matters.

The publicity index, its "公示审核" workflow and the roles' permissions were made here once;
`manage.py setup_portal` makes them now (notices/setup.py), with Wagtail's own page API, so
that no migration runs live code or writes tree paths by hand.
"""

from django.db import migrations

CATEGORIES = [
    ("通知公告", "notice", False),
    ("疫情防控", "epidemic-prevention", True),
    ("政策宣传", "policy", False),
    ("办事指南", "guide", False),
    ("致居民的一封信", "letter", False),
]
MATTERS = [
    ("最低生活保障", "minimum-living"),
    ("临时救助", "temporary-assistance"),
    ("特困供养", "extreme-poverty"),
    ("残疾人两项补贴", "disability-subsidies"),
    ("高龄津贴", "old-age-allowance"),
    ("其他", "other"),
]


def forwards(apps, schema_editor):
    NoticeCategory = apps.get_model("notices.NoticeCategory")
    ApprovalMatter = apps.get_model("notices.ApprovalMatter")
    for order, (name, slug, epidemic) in enumerate(CATEGORIES):
        NoticeCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "epidemic_prevention": epidemic, "sort_order": order}
        )
    for order, (name, slug) in enumerate(MATTERS):
        ApprovalMatter.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
