"""Hostile and odd .xlsx files for the readers' tests, built with zipfile directly (fast):
a workbook made by openpyxl whose sheet XML is swapped for one written here."""

import io
import zipfile

from openpyxl import Workbook

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def text_cell(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def row(*texts: str) -> str:
    return "<row>" + "".join(text_cell(text) for text in texts) + "</row>"


HEADER_ROW = row("姓名", "身份证号")
MEMBER_ROW = row("张三", "50010119900101123X")


def xlsx_with_sheet_xml(parts, *, prolog: str = "") -> bytes:
    """A real workbook (one sheet, 花名册) whose sheet XML is ``prolog``, then
    ``<worksheet><dimension/><sheetData>``, then every string of the iterable ``parts``, then the
    closing tags — unless the last part is ``None``: the XML then stops there, cut."""
    template = io.BytesIO()
    workbook = Workbook()
    workbook.active.title = "花名册"
    workbook.save(template)
    source = zipfile.ZipFile(template)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != SHEET:
                archive.writestr(item, source.read(item))
                continue
            with archive.open(SHEET, "w") as sheet:
                # a dimension, as Excel writes: openpyxl reads no further to size the sheet
                start = f'{prolog}<worksheet xmlns="{MAIN}"><dimension ref="A1:B2"/><sheetData>'
                sheet.write(start.encode())
                closed = True
                for part in parts:
                    if part is None:
                        closed = False
                        break
                    sheet.write(part.encode())
                if closed:
                    sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def bomb_xlsx(unpacked_mb: int) -> bytes:
    """A valid roster whose sheet XML is ``unpacked_mb`` MB of the same member row over and
    over: it compresses about a thousand times (a few tens of KB per 50 MB)."""
    block = MEMBER_ROW * (MB // len(MEMBER_ROW.encode()))
    return xlsx_with_sheet_xml([HEADER_ROW, *[block] * unpacked_mb])


def sizes_understated(data: bytes, part: str, size: int) -> bytes:
    """``data`` (a zip without zip64 records) with ``part`` declaring ``size`` unpacked bytes
    in its local header and in the central directory: a zip that lies about its sizes."""
    patched = bytearray(data)
    name = part.encode()
    # (signature, where the name starts, where the unpacked size is) in each kind of header
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        header = data.find(signature)
        while data[header + name_at : header + name_at + len(name)] != name:
            header = data.find(signature, header + 4)
            assert header >= 0, f"{part} is not in the zip"
        patched[header + size_at : header + size_at + 4] = size.to_bytes(4, "little")
    return bytes(patched)
