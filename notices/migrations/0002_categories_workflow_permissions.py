"""The configurable lists, the publicity index with its "公示审核" workflow, and permissions.

Publicity is published only through the workflow: the service centre reviews, then the
subdistrict approves (and so publishes). Editors can draft publicity but not publish it
(enforced by the page permission tester in notices.models.review, since 0004).
"""

from django.db import migrations

from portal import roles

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
WORKFLOW_NAME = "公示审核"
TASKS = [("服务中心审核", roles.SERVICE_CENTRE_STAFF), ("街道审批", roles.PUBLICITY_REVIEWERS)]
INDEX_SLUG = "publicity"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4

MODEL_PERMISSIONS = {
    roles.EDITORS: ["notices.view_noticecategory", "notices.view_approvalmatter"],
    roles.SERVICE_CENTRE_STAFF: ["notices.view_noticecategory", "notices.view_approvalmatter"],
    roles.PUBLICITY_REVIEWERS: ["notices.view_approvalmatter"],
    roles.ADMINISTRATORS: [
        f"notices.{action}_{model}"
        for model in ("noticecategory", "approvalmatter")
        for action in ("add", "change", "delete", "view")
    ],
}
# On the publicity index: the centre drafts batches; the reviewers' approval publishes them.
INDEX_PAGE_PERMISSIONS = {
    roles.SERVICE_CENTRE_STAFF: ["add_page", "change_page"],
    roles.PUBLICITY_REVIEWERS: ["change_page", "publish_page"],
}


def _encode(number):
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEP, "0")


def _decode(text):
    value = 0
    for char in text:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


def _add_child(apps, parent, model, **fields):
    """Add a page under `parent` with historical models (treebeard's path arithmetic)."""
    Page = apps.get_model("wagtailcore.Page")
    ContentType = apps.get_model("contenttypes.ContentType")
    children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    next_step = _decode(last[-STEP:]) + 1 if last else 1
    content_type, _ = ContentType.objects.get_or_create(
        app_label=model._meta.app_label, model=model._meta.model_name
    )
    page = model.objects.create(
        content_type=content_type,
        path=parent.path + _encode(next_step),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        locale_id=parent.locale_id,
        draft_title=fields["title"],
        live=True,
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=children.count())
    return page


def forwards(apps, schema_editor):
    NoticeCategory = apps.get_model("notices.NoticeCategory")
    ApprovalMatter = apps.get_model("notices.ApprovalMatter")
    for order, (name, slug, epidemic) in enumerate(CATEGORIES):
        NoticeCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "epidemic_prevention": epidemic, "sort_order": order}
        )
    for order, (name, slug) in enumerate(MATTERS):
        ApprovalMatter.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})

    for role, permissions in MODEL_PERMISSIONS.items():
        roles.grant_model_permissions(apps, role, permissions)

    Group = apps.get_model("auth.Group")
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (task_name, role) in enumerate(TASKS):
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(
                name=task_name, active=True, content_type=task_type
            )
        task.groups.add(Group.objects.get_or_create(name=role)[0])
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=order)

    Page = apps.get_model("wagtailcore.Page")
    ApprovalIndexPage = apps.get_model("notices.ApprovalIndexPage")
    home = Page.objects.filter(depth=2).order_by("path").first()
    if home is None:
        return
    index = ApprovalIndexPage.objects.filter(path__startswith=home.path).first()
    if index is None:
        index = _add_child(
            apps,
            home,
            ApprovalIndexPage,
            title="公示公告",
            slug=INDEX_SLUG,
            show_in_menus=True,
            introduction="社区受理的各项审批结果在这里公示。公示期内对公示对象有异议的，可以提出。",
        )
    WorkflowPage.objects.get_or_create(page_id=index.pk, defaults={"workflow": workflow})

    Permission = apps.get_model("auth.Permission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    for role, codenames in INDEX_PAGE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=index.pk, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("portal", "0002_roles"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
