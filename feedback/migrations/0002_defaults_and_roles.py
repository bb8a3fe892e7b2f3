"""Default categories and routing rules. (The roles' feedback permissions, once granted here,
are granted by `manage.py setup_portal`: feedback/setup.py.)"""

from django.db import migrations

DEFAULT_CATEGORIES = [
    # name, work type, deadline amount, unit, emergency, sort order, notice
    ("环境卫生", "routine", 5, "working_days", False, 10, "垃圾、积水、杂物堆放等，请写明具体位置。"),
    ("设施报修", "routine", 5, "working_days", False, 20, "路灯、井盖、健身器材等公共设施损坏，可附照片。"),
    ("邻里纠纷", "coordination", 10, "working_days", False, 30, "网格员会先了解情况，再约双方协商。"),
    ("安全隐患", "emergency", 4, "working_hours", True, 40, "正在发生的危险请先拨打紧急电话，再在这里留言。"),
    ("公示异议", "objection", 5, "working_days", False, 50, "请写明对哪一项公示内容有异议及理由。"),
    ("意见建议", "suggestion", 10, "working_days", False, 60, ""),
    ("表扬", "praise", 10, "working_days", False, 70, ""),
    ("投诉", "complaint", 5, "working_days", False, 80, "投诉工作人员的，由社区服务中心负责人办理。"),
]

DEFAULT_RULES = [
    # name, recipient, work type, sort order
    ("在岗网格员", "on_duty_worker", "", 10),
    ("社区服务中心", "service_centre", "", 20),
    ("公示异议转公示所列部门", "publicity_office", "objection", 30),
]

def forwards(apps, schema_editor):
    Category = apps.get_model("feedback", "FeedbackCategory")
    Rule = apps.get_model("feedback", "RoutingRule")
    for name, work_type, amount, unit, emergency, order, notice in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(
            name=name,
            defaults={
                "work_type": work_type,
                "deadline_amount": amount,
                "deadline_unit": unit,
                "emergency": emergency,
                "sort_order": order,
                "notice": notice,
            },
        )
    for name, recipient, work_type, order in DEFAULT_RULES:
        Rule.objects.get_or_create(
            name=name,
            defaults={"recipient": recipient, "work_type": work_type, "sort_order": order},
        )


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
