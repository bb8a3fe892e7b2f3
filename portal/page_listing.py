"""The base of the apps' flat page listings in the admin (all grids, all notices …): Wagtail's
PageListingViewSet, whose menu item shows only to accounts that may open the listing.

What a listing shows and links to is Wagtail's page permission rule: the pages an account may
explore, with an edit link only where it may edit."""

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy


class PageListingMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(
            request.user, IndexView.any_permission_required
        )


class PermittedPageListingViewSet(PageListingViewSet):
    add_to_admin_menu = True
    menu_item_class = PageListingMenuItem


def explorable_pages(request):
    """The pages the account may explore (for a filter's choices)."""
    return PagePermissionPolicy().explorable_instances(request.user)
