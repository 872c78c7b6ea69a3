"""A message of EnterpriseData checked against 1C's published XDTO packages
(xdto.py, data/*.xdto): the header against ExchangeMessage's `Header`, each
object of the Body against its object type — the type exists, required
properties are there, properties come in the declared order and as many
times as allowed, and every value fits its value type (enumerations,
decimals with their digits, dates, lengths).

Open object types accept properties the package does not declare (1C keeps
them, its conversion rules do not read them): a message we receive may
carry them; the messages we build must not (`strict`).

Every problem is an `Issue` naming the object type, its Ссылка and the
path of the property, in Russian (i18n.gettext_safe): the validator also
runs where there is no database (the test peer, the benchmarks)."""
from lxml import etree

from .i18n import gettext_safe
from .xdto import ObjectType, registry
from .xsd import body_valid

MSG_NS = 'http://www.1c.ru/SSL/Exchange/Message'
XSI_NIL = '{http://www.w3.org/2001/XMLSchema-instance}nil'
MAX_ISSUES = 50
# Values repeat (amounts, dates, lists): each is checked once per message.
VALID_CACHE = 100000
HEADER = 'msg:Header'


DETAILS = {
    'required': 'copp_exchange_1c.msg_xdto_required',
    'order': 'copp_exchange_1c.msg_xdto_order',
    'too_many': 'copp_exchange_1c.msg_xdto_too_many',
    'undeclared': 'copp_exchange_1c.msg_xdto_undeclared',
    'nil': 'copp_exchange_1c.msg_xdto_nil',
    'not_object': 'copp_exchange_1c.msg_xdto_not_object',
    'not_value': 'copp_exchange_1c.msg_xdto_not_value',
    'value_type': 'copp_exchange_1c.msg_xdto_value_type',
    'value_enumeration': 'copp_exchange_1c.msg_xdto_value_enumeration',
    'value_length': 'copp_exchange_1c.msg_xdto_value_length',
    'value_max_length': 'copp_exchange_1c.msg_xdto_value_max_length',
    'value_min_length': 'copp_exchange_1c.msg_xdto_value_min_length',
    'value_pattern': 'copp_exchange_1c.msg_xdto_value_pattern',
    'value_fraction_digits':
        'copp_exchange_1c.msg_xdto_value_fraction_digits',
    'value_total_digits': 'copp_exchange_1c.msg_xdto_value_total_digits',
    'namespace': 'copp_exchange_1c.msg_xdto_namespace',
    'unknown_object': 'copp_exchange_1c.msg_xdto_unknown_object',
    'no_package': 'copp_exchange_1c.msg_xdto_no_package',
    }


class Issue:
    "A problem of one object: formatted when read"
    __slots__ = ('object_type', 'guid', 'path', 'code', 'variables')

    def __init__(self, object_type, guid, path, code, **variables):
        self.object_type = object_type
        self.guid = guid
        self.path = path
        self.code = code
        self.variables = variables

    @property
    def detail(self):
        return gettext_safe(DETAILS[self.code], **self.variables)

    def __str__(self):
        if self.path:
            return gettext_safe('copp_exchange_1c.msg_xdto_issue',
                object=self.object_type, guid=self.guid or '—',
                property=self.path, error=self.detail)
        return gettext_safe('copp_exchange_1c.msg_xdto_issue_object',
            object=self.object_type, guid=self.guid or '—',
            error=self.detail)


def guid_of(element):
    "The Ссылка of an object (of its КлючевыеСвойства), in any namespace"
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = child.tag.rpartition('}')[2]
        if local == 'КлючевыеСвойства':
            for grandchild in child:
                if (isinstance(grandchild.tag, str)
                        and grandchild.tag.rpartition('}')[2] == 'Ссылка'):
                    return (grandchild.text or '').strip() or None
        elif local == 'Ссылка':
            return (child.text or '').strip() or None
    return None


class Validator:
    """Checks the objects of one format version (the namespace of its
    Body). strict: undeclared properties are problems too."""

    def __init__(self, namespace, strict=False, max_issues=MAX_ISSUES):
        self.registry = registry()
        self.namespace = namespace
        self.strict = strict
        self.max_issues = max_issues
        self.issues = []
        self.count = 0
        self._top = None
        self._top_type = None
        self._valid = set()  # (value type, text) found valid
        self._objects = (self.registry.top_level(namespace)
            if namespace in self.registry.files else None)

    @property
    def known(self):
        "Whether the version has a package to check against"
        return self._objects is not None

    # Problems ---------------------------------------------------------------

    def _issue(self, element, code, **variables):
        self.count += 1
        if len(self.issues) >= self.max_issues:
            return
        top = self._top
        path = []
        node = element
        while node is not None and node is not top:
            path.append(etree.QName(node).localname)
            node = node.getparent()
        guid = guid_of(top) if top is not None and (
            self._top_type != HEADER) else None
        self.issues.append(Issue(self._top_type, guid,
                '/'.join(reversed(path)), code, **variables))

    # Walking ------------------------------------------------------------------

    def check_object(self, element, otype):
        "Check element against the ObjectType otype (recursively)"
        by_tag = otype.by_tag
        ordered = otype.ordered
        counts = {}
        last = -1
        text = element.text
        if text and not text.isspace():
            self._issue(element, 'not_object')
        for child in element:
            tag = child.tag
            if tag.__class__ is not str:
                continue
            prop = by_tag.get(tag)
            if prop is None:
                if self.strict or not otype.open:
                    self._issue(child, 'undeclared')
                continue
            position = prop.position
            if position < last and ordered:
                # Reported once: the next ones compare with this one.
                self._issue(child, 'order',
                    next=otype.properties[last].name)
            last = position if ordered else max(last, position)
            count = counts.get(position)
            counts[position] = 1 if count is None else count + 1
            nil = child.get(XSI_NIL)
            if nil is not None and nil in ('true', '1'):
                if not prop.nillable:
                    self._issue(child, 'nil')
                continue
            type_ = prop.type
            if type_ is None:
                continue  # xs:anyType
            if type_.__class__ is ObjectType:
                self.check_object(child, type_)
                continue
            if len(child):
                self._issue(child, 'not_value')
                continue
            if type_.trivial:
                continue
            value = child.text or ''
            if not type_.keeps_whitespace:
                value = value.strip()
            key = (type_, value)
            if key in self._valid:
                continue
            problem = type_.check(value)
            if problem:
                reason, limit = problem
                self._issue(child, f'value_{reason}', value=value[:80],
                    limit=limit[:300])
            elif len(self._valid) < VALID_CACHE:
                self._valid.add(key)
        for prop in otype.required:
            if prop.position not in counts:
                self._issue_missing(element, prop)
        if len(counts) != sum(counts.values()):
            properties = otype.properties
            for position, count in counts.items():
                prop = properties[position]
                if count > 1 and prop.upper is not None and (
                        count > prop.upper):
                    self._issue(element, 'too_many', property=prop.name,
                        count=count, max=prop.upper)

    def _issue_missing(self, element, prop):
        self._issue(element, 'required', property=prop.name)

    def check_body(self, body, extensions=()):
        """Every object of a Body; the objects of an extension of the format
        (its namespace in msg:Format) are not the package's to check"""
        objects = self._objects
        namespace = self.namespace
        prefix = f'{{{namespace}}}'
        cut = len(prefix)
        for element in body:
            tag = element.tag
            if tag.__class__ is not str:
                continue
            name = tag[cut:] if tag.startswith(prefix) else None
            self._top = element
            self._top_type = etree.QName(element).localname
            if name is None and etree.QName(element).namespace in (
                    extensions):
                continue
            if name is None:
                self._issue(element, 'namespace',
                    namespace=etree.QName(element).namespace or '',
                    expected=namespace)
                continue
            otype = objects.get(name)
            if otype is None:
                self._issue(element, 'unknown_object', type=name)
                continue
            self.check_object(element, otype)
        self._top = self._top_type = None

    def check_header(self, header):
        self._top = header
        self._top_type = HEADER
        self.check_object(header, self.registry.object_type(MSG_NS,
                'Header'))
        self._top = self._top_type = None


def validate_message(root, strict=False, max_issues=MAX_ISSUES,
        extensions=()):
    """The issues of a parsed Message: its header, then every object of its
    Body against the package of the Body's namespace (but the objects of
    the extensions). A Body of a version without a package here is reported
    as such."""
    header = root.find(f'{{{MSG_NS}}}Header')
    body = None
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname == (
                'Body'):
            body = child
            break
    namespace = etree.QName(body).namespace if body is not None else None
    validator = Validator(namespace or '', strict=strict,
        max_issues=max_issues)
    if header is not None:
        validator.check_header(header)
    if body is not None:
        if validator.known:
            # libxml2 first (xsd.py): a Body it accepts has no issue; the
            # Python walk names the problems, or lets an open type's
            # undeclared properties through.
            if extensions or not body_valid(body, namespace):
                validator.check_body(body, extensions)
        else:
            validator._top, validator._top_type = body, 'Body'
            validator._issue(body, 'no_package', namespace=namespace or '')
    return validator


def validate_objects(elements, namespace, strict=True):
    "The issues of objects outside a message (tests, the builders)"
    validator = Validator(namespace, strict=strict)
    validator.check_body(elements)
    return validator
