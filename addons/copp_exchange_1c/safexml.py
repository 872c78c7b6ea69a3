"""Safe reading of what a peer sends: XML without DTDs or entities, zip
archives within size limits. Every refusal is a HostileInput with a Russian
message; nothing here touches the database."""
import io
import re
import zipfile

from lxml import etree

from trytond import config

SECTION = 'copp_exchange_1c'
MB = 1024 * 1024


def size_text(size):
    "A size in Russian: «64 МБ», «512 КБ»"
    if size >= MB:
        return f"{size // MB} МБ"
    return f"{max(size // 1024, 1)} КБ"


def limit(name, default):
    "A size limit in bytes from the [copp_exchange_1c] section"
    return config.getint(SECTION, name, default=default)


def max_request():
    "The largest HTTP request body we read (a SOAP call with one part)"
    return limit('max_request_size', 32 * MB)


def max_file():
    "The largest zip file assembled from parts"
    return limit('max_file_size', 64 * MB)


def max_xml():
    "The largest uncompressed data.xml"
    return limit('max_xml_size', 256 * MB)


class HostileInput(Exception):
    "Refused input (Russian message)"


_DOCTYPE = re.compile(rb'<!\s*(DOCTYPE|ENTITY)', re.IGNORECASE)


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True)


def parse_xml(data, what="XML"):
    """Parse bytes refusing DOCTYPE/ENTITY declarations (XXE, billion
    laughs) and anything lxml's default limits refuse."""
    if not isinstance(data, (bytes, bytearray)):
        raise HostileInput(f"{what}: ожидались байты.")
    head = bytes(data[:4])
    if head.startswith((b'\xff\xfe', b'\xfe\xff')) or (
            len(head) == 4 and head[1:2] == b'\x00' or head[0:1] == b'\x00'):
        raise HostileInput(f"{what}: поддерживается только кодировка UTF-8.")
    if _DOCTYPE.search(data):
        raise HostileInput(
            f"{what}: объявления DOCTYPE и ENTITY запрещены (защита от "
            "внешних сущностей и «миллиарда смешков»).")
    try:
        root = etree.fromstring(bytes(data), parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise HostileInput(f"{what}: неверный XML: {exc}")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise HostileInput(f"{what}: объявление DOCTYPE запрещено.")
    return root


def make_zip(xml_bytes, name='data.xml'):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED,
            compresslevel=1) as archive:
        archive.writestr(name, xml_bytes)
    return buffer.getvalue()


def read_zip(data, max_size=None):
    """The data.xml of a zip, refusing zip bombs and broken archives"""
    max_size = max_size or max_xml()
    if len(data) > max_file():
        raise HostileInput(
            f"Файл обмена {size_text(len(data))} больше допустимого "
            f"({size_text(max_file())}).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
        xml_infos = [i for i in infos if i.filename.lower().endswith('.xml')]
        if not xml_infos:
            raise HostileInput("В архиве нет файла data.xml.")
        info = next((i for i in xml_infos if i.filename == 'data.xml'),
            xml_infos[0])
        if info.file_size > max_size:
            raise HostileInput(
                f"Распакованный файл {info.filename} больше допустимого "
                f"({size_text(max_size)}).")
        with archive.open(info) as member:
            content = member.read(max_size + 1)
        if len(content) > max_size:
            raise HostileInput(
                f"Распакованный файл {info.filename} больше допустимого "
                f"({size_text(max_size)}): архив-бомба.")
        return content
    except HostileInput:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError,
            ValueError, NotImplementedError, RuntimeError) as exc:
        raise HostileInput(f"Архив повреждён или обрезан: {exc}")
    except Exception as exc:  # zlib.error and the like
        raise HostileInput(f"Архив повреждён: {exc}")


def split(data, part_size_kb):
    "Parts of at most part_size_kb kilobytes (0: one part)"
    if not part_size_kb or part_size_kb <= 0:
        return [data]
    size = part_size_kb * 1024
    return [data[i:i + size] for i in range(0, len(data), size)] or [b'']
