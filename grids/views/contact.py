"""Contact card (vCard), QR code of a grid page, and the printable grid sign (网格公示牌)."""

import base64
import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.links import absolute
from portal.models import SiteSettings
from portal.parsing import parse_text

from ..context import grid_map, load_workers, on_duty_summary, service_centre_phone
from ..enums import OnDutyRole


def live_grid(code):
    """The live, public grid with this code, or 404."""
    from ..models import GridPage

    wanted = parse_text(code)
    grids = (
        GridPage.objects.live().public().filter(code=wanted) if wanted else GridPage.objects.none()
    )
    grid = grids.select_related("level").first()
    if grid is None:
        raise Http404(_("没有编码为%(code)s的网格。") % {"code": code})
    return grid


def grid_absolute_url(grid, request):
    return absolute(grid.get_url(request))


def _vcard_text(value):
    """Escape a vCard 3.0 text value (RFC 2426: backslash, comma, semicolon, newline)."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


# The card's photo: small enough for any phone's address book (a few kB), JPEG as vCard 3.0
# readers expect.
VCARD_PHOTO_SPEC = "fill-120x150-c100|format-jpeg|jpegquality-70"
VCARD_LINE_OCTETS = 75


def fold(line):
    """Fold a content line at 75 octets (RFC 2425 §5.8.1: CRLF and a space), never inside a
    UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = VCARD_LINE_OCTETS - (1 if parts else 0)  # a continuation starts with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def vcard_photo(worker):
    """The worker's photo as base64 JPEG for the card, or "" without one."""
    if worker.photo is None:
        return ""
    rendition = worker.photo.get_rendition(VCARD_PHOTO_SPEC)
    with rendition.file.open("rb") as image:
        return base64.b64encode(image.read()).decode("ascii")


def vcard_for(worker, grid, role, url):
    """A vCard 3.0 with the worker's public details only: name, title, work phone, grid, the
    photo the grid page shows."""
    role_label = OnDutyRole(role).label
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_vcard_text(worker.name)};;;;",
        f"FN:{_vcard_text(worker.name)}",
        f"TITLE:{_vcard_text(worker.title or role_label)}",
        f"ORG:{_vcard_text(grid.title)}",
        f"TEL;TYPE=WORK,VOICE:{_vcard_text(worker.work_phone)}",
        f"NOTE:{_vcard_text(f'{grid.title}（{grid.code}）{role_label}')}",
        f"URL:{_vcard_text(url)}",
    ]
    photo = vcard_photo(worker)
    if photo:
        lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}")
    lines.append("END:VCARD")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


@require_GET
def vcard(request, code, role):
    """Download the contact card of a grid's primary or backup worker."""
    if role not in OnDutyRole.values:
        raise Http404(_("没有这个岗位。"))
    grid = live_grid(code)
    worker = grid.primary_worker if role == OnDutyRole.PRIMARY else grid.backup_worker
    if worker is None:
        raise Http404(_("这个网格没有该岗位的网格员。"))
    text = vcard_for(worker, grid, role, grid_absolute_url(grid, request))
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="grid-{grid.code}-{role}.vcf"'
    return response


def qr_svg(url, scale=4, title=None):
    """An SVG QR code (segno) of `url`, medium error correction, for pages and the sign."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=scale, border=2, title=title, xmldecl=False, svgclass="qr"
    )
    return buffer.getvalue().decode()


@require_GET
def qr_code(request, code):
    """The QR code of a grid page's address, as an SVG image."""
    grid = live_grid(code)
    url = grid_absolute_url(grid, request)
    response = HttpResponse(qr_svg(url, title=url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def grid_sign(request, code):
    """The printable grid sign (网格公示牌): one A4 page for the grid's notice board."""
    grid = live_grid(code)
    load_workers([grid])
    areas = grid.area_chain()
    site_settings = SiteSettings.for_request(request)
    url = grid_absolute_url(grid, request)
    context = {
        "grid": grid,
        "areas": areas,
        "team": list(grid.team_members.all()),
        "map_svg": grid_map(grid, request),
        "qr": qr_svg(url, scale=3, title=_("扫码打开本网格页面")),
        "grid_url": url,
        "supervision_phone": site_settings.supervision_phone,
        "centre_phone": service_centre_phone(areas, site_settings),
        **on_duty_summary(grid),
    }
    return render(request, "grids/grid_sign.html", context)
