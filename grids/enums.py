"""Fixed choices of the grids app: area levels, team roles, on-duty roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    """The level of an area in the administrative tree (any depth; levels may repeat)."""

    SUBDISTRICT = "subdistrict", _("街道")
    TOWN = "town", _("乡镇")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    ZONE = "zone", _("片区")

    @classmethod
    def from_name(cls, text):
        """The level for a code ("community") or a Chinese name ("社区"); None if unknown."""
        text = (text or "").strip()
        for value, label in cls.choices:
            if text in (value, str(label)):
                return cls(value)
        return None


# Levels that own a service centre: the "community" a grid belongs to for feedback routing.
COMMUNITY_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.VILLAGE)


class TeamRole(models.TextChoices):
    """Roles in a grid team (网格管理团队)."""

    BUILDING_HEAD = "building_head", _("楼栋长")
    COMMUNITY_POLICE = "community_police", _("社区民警")
    PROPERTY_MANAGER = "property_manager", _("物业管理员")
    VOLUNTEER = "volunteer", _("志愿者")
    OTHER = "other", _("其他")


class OnDutyRole(models.TextChoices):
    """Who covers a grid today: the primary (A岗) or the backup (B岗)."""

    PRIMARY = "primary", _("网格员（A岗）")
    BACKUP = "backup", _("备岗（B岗）")
