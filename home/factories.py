"""Page factories for the home app."""

import wagtail_factories

from .models import HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "网格化服务管理门户"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "关于社区"
    introduction = ""

    class Meta:
        model = StandardPage
