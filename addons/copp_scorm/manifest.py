"""imsmanifest.xml of a SCORM 1.2 package (pure Python, no database).

The manifest is untrusted XML: lxml never loads a DTD, never resolves an
entity (no billion laughs, no XXE reading the server's files) and never
touches the network. Elements are matched by their local name: many
authoring tools write the IMS namespaces inconsistently.

What is kept: the manifest identifier, the title of the default
organization, and the launch address: the href of the resource of the
organization's first launchable item (with the xml:base of the manifest,
the resources and the resource) plus the item's `parameters`, resolved as
the SCORM CAM says. The item's adlcp:masteryscore and adlcp:datafromlms
(cmi.student_data.mastery_score, cmi.launch_data) come along.
"""
import urllib.parse
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from .package_zip import PackageError

ADLCP_12 = 'http://www.adlnet.org/xsd/adlcp_rootv1p2'
ADLCP_2004 = 'http://www.adlnet.org/xsd/adlcp_v1p3'
XML_BASE = '{http://www.w3.org/XML/1998/namespace}base'
# A made-up origin to resolve relative addresses with urllib: what resolves
# outside of it is not in the package
ORIGIN = 'http://package.invalid/'
MAX_LAUNCH_DATA = 4096


@dataclass
class Manifest:
    identifier: str
    title: str
    launch: str            # relative to the package root, with its query
    launch_file: str       # the file part of `launch`
    mastery_score: Decimal = None
    launch_data: str = ''
    version: str = '1.2'


def parser():
    return etree.XMLParser(resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True)


def local(element):
    tag = element.tag
    if not isinstance(tag, str):
        return ''
    return etree.QName(tag).localname


def children(element, name):
    return [c for c in element if local(c) == name]


def child(element, name):
    found = children(element, name)
    return found[0] if found else None


def text(element):
    if element is None:
        return ''
    return ' '.join(''.join(element.itertext()).split())


def attribute(element, name):
    "An attribute by local name, whatever its namespace (adlcp:scormtype)"
    for key, value in element.attrib.items():
        if etree.QName(key).localname == name:
            return value
    return None


def parse(content, files=None):
    """Parse the manifest bytes; `files` is the set of the package's file
    paths (the launch file must be one of them). Raises PackageError."""
    try:
        root = etree.fromstring(content, parser())
    except etree.XMLSyntaxError as exc:
        raise PackageError('msg_manifest_invalid', error=str(exc)[:200])
    if local(root) != 'manifest':
        raise PackageError('msg_manifest_invalid', error=local(root))
    version = scorm_version(root)
    organization = default_organization(root)
    item = first_item(organization) if organization is not None else None
    if item is None:
        raise PackageError('msg_manifest_no_launch')
    reference = item.get('identifierref')
    resource = find_resource(root, reference)
    if resource is None or not resource.get('href'):
        raise PackageError('msg_manifest_resource_missing',
            resource=reference)
    launch, launch_file = launch_href(root, resource, item.get('parameters'))
    if files is not None and launch_file not in files:
        raise PackageError('msg_manifest_launch_missing', href=launch_file)
    title = (text(child(organization, 'title'))
        or text(child(item, 'title')) or root.get('identifier') or '')
    return Manifest(
        identifier=(root.get('identifier') or '')[:200],
        title=title[:250],
        launch=launch,
        launch_file=launch_file,
        mastery_score=mastery_score(item),
        launch_data=text_keep(child(item, 'datafromlms'))[:MAX_LAUNCH_DATA],
        version=version)


def text_keep(element):
    "The text of an element as written (launch data keeps its spaces)"
    if element is None:
        return ''
    return ''.join(element.itertext()).strip()


def scorm_version(root):
    """'1.2' or PackageError: the manifest's schemaversion says 1.2, or
    (without one) the adlcp namespace of SCORM 1.2 is declared"""
    metadata = child(root, 'metadata')
    declared = text(child(metadata, 'schemaversion')) if (
        metadata is not None) else ''
    namespaces = set()
    for element in root.iter():
        if isinstance(element.tag, str):
            namespaces.update(element.nsmap.values())
    if declared:
        if declared != '1.2':
            raise PackageError('msg_manifest_not_scorm12', version=declared)
    elif ADLCP_12 not in namespaces or ADLCP_2004 in namespaces:
        raise PackageError('msg_manifest_not_scorm12', version=(
                "SCORM 2004" if ADLCP_2004 in namespaces else "—"))
    return '1.2'


def default_organization(root):
    organizations = child(root, 'organizations')
    if organizations is None:
        return None
    found = children(organizations, 'organization')
    default = organizations.get('default')
    for organization in found:
        if default and organization.get('identifier') == default:
            return organization
    return found[0] if found else None


def first_item(organization):
    "The first item (in document order) that launches a resource"
    for element in organization.iter():
        if local(element) == 'item' and element.get('identifierref'):
            if (element.get('isvisible') or 'true').lower() == 'false':
                continue
            return element
    return None


def find_resource(root, identifier):
    resources = child(root, 'resources')
    if resources is None or not identifier:
        return None
    for resource in children(resources, 'resource'):
        if resource.get('identifier') == identifier:
            return resource
    return None


def launch_href(root, resource, parameters):
    """(launch address relative to the package, its file path): the bases,
    the href, then the item's parameters"""
    resources = resource.getparent()
    url = ORIGIN
    for element in (root, resources, resource):
        base = element.get(XML_BASE)
        if base:
            url = urllib.parse.urljoin(url, base.strip())
    href = resource.get('href').strip()
    url = urllib.parse.urljoin(url, href)
    parts = urllib.parse.urlsplit(url)
    if (f'{parts.scheme}://{parts.netloc}/' != ORIGIN
            or '..' in href.replace('\\', '/').split('/')):
        raise PackageError('msg_manifest_launch_external', href=href)
    path = parts.path.lstrip('/')
    launch_file = urllib.parse.unquote(path)
    query, fragment = parts.query, parts.fragment
    parameters = (parameters or '').strip()
    if parameters:
        if parameters.startswith('#'):
            # A fragment is added only when the href has none (CAM)
            if not fragment:
                fragment = parameters[1:]
        else:
            parameters = parameters.lstrip('?&')
            parameters, _, extra = parameters.partition('#')
            if parameters:
                query = f'{query}&{parameters}' if query else parameters
            if extra and not fragment:
                fragment = extra
    launch = path
    if query:
        launch += '?' + query
    if fragment:
        launch += '#' + fragment
    return launch, launch_file


def mastery_score(item):
    value = text(child(item, 'masteryscore'))
    if not value:
        return None
    try:
        score = Decimal(value)
    except InvalidOperation:
        raise PackageError('msg_manifest_mastery', value=value[:50])
    if not score.is_finite() or not 0 <= score <= 100:
        raise PackageError('msg_manifest_mastery', value=value[:50])
    return score
