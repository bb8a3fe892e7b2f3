"""Blocks shared by every page body: the one BaseStreamBlock that apps extend."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("级别"), choices=[("h2", _("二级")), ("h3", _("三级"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("小标题")
        preview_value = {"text": "办事指南", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(
        label=_("替代文字"), max_length=200, help_text=_("向读屏软件描述图片内容")
    )
    caption = blocks.CharBlock(label=_("图注"), max_length=200, required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("图片")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("显示名称"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("文件")


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("联系人或单位"), max_length=80)
    phone = blocks.CharBlock(label=_("工作电话"), max_length=40, required=False)
    hours = blocks.CharBlock(label=_("服务时间"), max_length=80, required=False)

    class Meta:
        icon = "user"
        template = "blocks/contact_block.html"
        label = _("联系方式")
        preview_value = {
            "name": "社区服务中心",
            "phone": "010-12345678",
            "hours": "工作日 9:00-17:00",
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("正文"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    table = TableBlock(label=_("表格"), template="blocks/table_block.html")
    document = DocumentBlock()
    contact = ContactBlock()
