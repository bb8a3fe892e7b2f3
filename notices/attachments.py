"""The text inside attached documents (xlsx, csv, docx, pdf, txt), for the personal-data check.

Each function yields (location, text) pairs, e.g. ("Sheet1!B3", "13812345678"), so that a
refusal can say where in the file the unmasked number is.
"""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

CHECKABLE_EXTENSIONS = {"xlsx", "csv", "docx", "pdf", "txt"}


class UnreadableDocument(Exception):
    """The file could not be opened to check it."""


def _read_bytes(document):
    with document.file.open("rb") as handle:
        return handle.read()


def _decode(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(_("无法识别文件的文字编码"))


def _xlsx_texts(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None and getattr(cell, "coordinate", None):
                        yield f"{sheet.title}!{cell.coordinate}", str(cell.value)
    finally:
        workbook.close()


def _csv_texts(data):
    reader = csv.reader(io.StringIO(_decode(data)))
    for row_number, row in enumerate(reader, start=1):
        for column_number, value in enumerate(row, start=1):
            if value:
                yield _("第%(row)d行第%(col)d列") % {"row": row_number, "col": column_number}, value


def _docx_texts(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text:
            yield _("第%(n)d段") % {"n": number}, paragraph.text
    for table_number, table in enumerate(document.tables, start=1):
        for row_number, row in enumerate(table.rows, start=1):
            for column_number, cell in enumerate(row.cells, start=1):
                if cell.text:
                    yield (
                        _("表格%(t)d第%(row)d行第%(col)d列")
                        % {"t": table_number, "row": row_number, "col": column_number},
                        cell.text,
                    )
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                if paragraph.text:
                    yield _("页眉页脚"), paragraph.text


def _pdf_texts(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    for number, pdf_page in enumerate(reader.pages, start=1):
        text = pdf_page.extract_text() or ""
        if text.strip():
            yield _("第%(n)d页") % {"n": number}, text


def _txt_texts(data):
    for number, line in enumerate(_decode(data).splitlines(), start=1):
        if line.strip():
            yield _("第%(n)d行") % {"n": number}, line


_READERS = {
    "xlsx": _xlsx_texts,
    "csv": _csv_texts,
    "docx": _docx_texts,
    "pdf": _pdf_texts,
    "txt": _txt_texts,
}


def file_texts(extension, read_bytes):
    """Every (location, text) in a file of this extension whose bytes `read_bytes()` returns;
    UnreadableDocument when it cannot be read."""
    extension = (extension or "").lower()
    reader = _READERS.get(extension)
    if reader is None:
        raise UnreadableDocument(
            _("无法检查 %(ext)s 文件中的个人信息，请转换为 PDF、DOCX、XLSX 或 CSV 后上传")
            % {"ext": extension.upper() or "?"}
        )
    try:
        data = read_bytes()
        return list(reader(data))
    except UnreadableDocument:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, Exception) as exc:
        # A damaged or disguised file must not be published unchecked.
        raise UnreadableDocument(_("文件无法打开或已损坏，无法检查其中的个人信息")) from exc


def document_texts(document):
    """Every (location, text) in the document; UnreadableDocument when it cannot be read."""
    return file_texts(document.file_extension, lambda: _read_bytes(document))
