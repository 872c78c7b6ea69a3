"""Safe reading of what a peer sends: XML without DTDs or entities, zip
archives within size limits. Every refusal is a HostileInput with a
translated message (i18n.gettext_safe: Russian outside a transaction);
nothing here writes to the database."""
import io
import re
import zipfile

from lxml import etree

from trytond import config

from .i18n import gettext_safe

SECTION = 'copp_exchange_1c'
MB = 1024 * 1024


def size_text(size):
    "A size for people: «64 МБ», «512 КБ»"
    if size >= MB:
        return gettext_safe('copp_exchange_1c.msg_size_mb', size=size // MB)
    return gettext_safe('copp_exchange_1c.msg_size_kb',
        size=max(size // 1024, 1))


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
    "Refused input (translated message)"


def refuse(msg, /, **variables):
    "A HostileInput of the message copp_exchange_1c.<msg>"
    return HostileInput(
        gettext_safe(f'copp_exchange_1c.{msg}', **variables))


_DOCTYPE = re.compile(rb'<!\s*(DOCTYPE|ENTITY)', re.IGNORECASE)


def _parser(huge=False):
    return etree.XMLParser(resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=huge,
        remove_comments=True, remove_pis=True)


def parse_xml(data, what="XML", huge=False):
    """Parse bytes refusing DOCTYPE/ENTITY declarations (XXE, billion
    laughs) and anything lxml's default limits refuse; `what` names the
    document in the errors (a translated text). huge: text nodes over
    lxml's 10 MB are allowed (a SOAP request with a large part, whose size
    the caller bounded; entities are refused whatever huge is)."""
    if not isinstance(data, (bytes, bytearray)):
        raise refuse('msg_xml_not_bytes', what=what)
    head = bytes(data[:4])
    if head.startswith((b'\xff\xfe', b'\xfe\xff')) or (
            len(head) == 4 and head[1:2] == b'\x00' or head[0:1] == b'\x00'):
        raise refuse('msg_xml_not_utf8', what=what)
    if _DOCTYPE.search(data):
        raise refuse('msg_xml_doctype_entity', what=what)
    try:
        root = etree.fromstring(bytes(data), parser=_parser(huge))
    except etree.XMLSyntaxError as exc:
        raise refuse('msg_xml_invalid', what=what, error=exc)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise refuse('msg_xml_doctype', what=what)
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
        raise refuse('msg_zip_too_large', size=size_text(len(data)),
            limit=size_text(max_file()))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
        xml_infos = [i for i in infos if i.filename.lower().endswith('.xml')]
        if not xml_infos:
            raise refuse('msg_zip_no_xml')
        info = next((i for i in xml_infos if i.filename == 'data.xml'),
            xml_infos[0])
        if info.file_size > max_size:
            raise refuse('msg_zip_xml_too_large', name=info.filename,
                limit=size_text(max_size))
        with archive.open(info) as member:
            content = member.read(max_size + 1)
        if len(content) > max_size:
            raise refuse('msg_zip_bomb', name=info.filename,
                limit=size_text(max_size))
        return content
    except HostileInput:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError,
            ValueError, NotImplementedError, RuntimeError) as exc:
        raise refuse('msg_zip_truncated', error=exc)
    except Exception as exc:  # zlib.error and the like
        raise refuse('msg_zip_damaged', error=exc)


def split(data, part_size_kb):
    "Parts of at most part_size_kb kilobytes (0: one part)"
    if not part_size_kb or part_size_kb <= 0:
        return [data]
    size = int(part_size_kb * 1024)
    return [data[i:i + size] for i in range(0, len(data), size)] or [b'']
