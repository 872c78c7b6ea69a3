"""1C's XDTO packages read into types a validator can walk.

An XDTO package (namespace http://v8.1c.ru/8.1/xdto, see data/README.md) is
not an XSD. What we read of it:
- `valueType`: a simple type — its base (an xs: type or another value
  type), enumerations, pattern, length facets, totalDigits/fractionDigits,
  or a union of member types;
- `objectType`: a complex type — its base type (whose properties come
  first), `open` (undeclared properties allowed), `ordered` (properties in
  the declared order; the default), `abstract`, and its properties;
- `property`: name, type (named, or an anonymous `typeDef`), `lowerBound`
  (default 1: required), `upperBound` (default 1; -1: unbounded),
  `nillable`.
Packages import each other by namespace (EnterpriseData imports
ExchangeMessage for `Object` and `Ref`); `Registry` loads them once.
"""
import functools
import os
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

XDTO_NS = 'http://v8.1c.ru/8.1/xdto'
XS_NS = 'http://www.w3.org/2001/XMLSchema'
XSI_TYPE = '{http://www.w3.org/2001/XMLSchema-instance}type'
DATA = os.path.join(os.path.dirname(__file__), 'data')
PACKAGES = {
    'http://www.1c.ru/SSL/Exchange/Message': 'ExchangeMessage.xdto',
    'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11':
        'EnterpriseData_1_11_7.xdto',
    }

_DATE = r'-?\d{4,}-\d{2}-\d{2}'
_TIME = r'\d{2}:\d{2}:\d{2}(\.\d+)?'
_ZONE = r'(Z|[+-]\d{2}:\d{2})?'
LEXICAL = {
    'boolean': re.compile(r'^(true|false|1|0)$'),
    'decimal': re.compile(r'^[+-]?(\d+(\.\d*)?|\.\d+)$'),
    'int': re.compile(r'^[+-]?\d+$'),
    'integer': re.compile(r'^[+-]?\d+$'),
    'long': re.compile(r'^[+-]?\d+$'),
    'date': re.compile(rf'^{_DATE}{_ZONE}$'),
    'dateTime': re.compile(rf'^{_DATE}T{_TIME}{_ZONE}$'),
    'time': re.compile(rf'^{_TIME}{_ZONE}$'),
    'base64Binary': re.compile(r'^[A-Za-z0-9+/=\s]*$'),
    }
INT_RANGE = {'int': (-2 ** 31, 2 ** 31 - 1), 'long': (-2 ** 63, 2 ** 63 - 1)}
# Types whose text keeps its whitespace (the others are collapsed).
STRING_TYPES = {'string', 'anyURI', 'normalizedString', 'token'}


class Property:
    __slots__ = ('name', 'type', 'lower', 'upper', 'nillable', 'position')

    def __init__(self, name, type_, lower=1, upper=1, nillable=False):
        self.name = name
        self.type = type_
        self.lower = lower
        self.upper = upper
        self.nillable = nillable
        self.position = None


class ObjectType:
    "A complex type: its properties by qualified tag, in their order"
    __slots__ = ('name', 'namespace', 'base', 'open', 'ordered',
        'abstract', 'own', 'properties', 'by_tag', 'required', '_element',
        'package')

    def __init__(self, name, namespace, package=None, element=None):
        self.name = name
        self.namespace = namespace
        self.package = package
        self._element = element
        self.base = None
        self.open = False
        self.ordered = True
        self.abstract = False
        self.own = []
        self.properties = []
        self.by_tag = {}
        self.required = ()

    def __repr__(self):
        return f'<ObjectType {self.name}>'

    def finish(self):
        "Properties of the base first, then ours; tags in both namespaces"
        inherited = list(self.base.properties) if self.base else []
        self.properties = inherited + self.own
        self.by_tag = {}
        for position, prop in enumerate(self.properties):
            prop.position = position
        for prop in inherited:
            for namespace in {self.base.namespace, self.namespace}:
                self.by_tag.setdefault(f'{{{namespace}}}{prop.name}', prop)
        for prop in self.own:
            self.by_tag[f'{{{self.namespace}}}{prop.name}'] = prop
        self.required = tuple(p for p in self.properties if p.lower > 0)


class ValueType:
    """A simple type. `builtin` is the xs: type at the root of its bases;
    check(text) returns None or (reason, detail) for the error message."""
    __slots__ = ('name', 'builtin', 'base', 'enumerations', 'patterns',
        'length', 'min_length', 'max_length', 'total_digits',
        'fraction_digits', 'members', 'trivial', 'keeps_whitespace')

    def __init__(self, name, builtin=None, base=None):
        self.name = name
        self.builtin = builtin
        self.base = base
        self.enumerations = None
        self.patterns = []
        self.length = self.min_length = self.max_length = None
        self.total_digits = self.fraction_digits = None
        self.members = None
        self.trivial = self.keeps_whitespace = False

    def __repr__(self):
        return f'<ValueType {self.name}>'

    def finish(self):
        """Once complete: whether its text keeps its whitespace, and whether
        any text is a value (a string without facets)"""
        self.keeps_whitespace = self.builtin in STRING_TYPES
        self.trivial = (self.members is None
            and self.builtin in STRING_TYPES
            and (self.base is None or self.base.trivial)
            and self.enumerations is None and not self.patterns
            and self.length is None and self.min_length is None
            and self.max_length is None)
        return self

    def check(self, text):
        if self.members is not None:
            for member in self.members:
                if member.check(text) is None:
                    return None
            return ('type', self.name)
        if self.base is not None:
            problem = self.base.check(text)
            if problem:
                return problem
        elif self.builtin not in STRING_TYPES:
            lexical = LEXICAL.get(self.builtin)
            if lexical is not None and not lexical.match(text):
                return ('type', 'xs:' + self.builtin)
            problem = _builtin_value(self.builtin, text)
            if problem:
                return problem
        if self.enumerations is not None and text not in self.enumerations:
            return ('enumeration', ', '.join(sorted(self.enumerations)))
        length = len(text)
        if self.length is not None and length != self.length:
            return ('length', str(self.length))
        if self.max_length is not None and length > self.max_length:
            return ('max_length', str(self.max_length))
        if self.min_length is not None and length < self.min_length:
            return ('min_length', str(self.min_length))
        for pattern in self.patterns:
            if not pattern.fullmatch(text):
                return ('pattern', pattern.pattern)
        if self.total_digits is not None or self.fraction_digits is not None:
            return _digits(text, self.total_digits, self.fraction_digits)
        return None


def _builtin_value(builtin, text):
    "Values the lexical form lets through but the type does not hold"
    import datetime as dt
    if builtin in INT_RANGE:
        low, high = INT_RANGE[builtin]
        if not low <= int(text) <= high:
            return ('type', 'xs:' + builtin)
    elif builtin in ('date', 'dateTime'):
        try:
            dt.date.fromisoformat(text[:10])
            if builtin == 'dateTime':
                dt.time.fromisoformat(text[11:19])
        except ValueError:
            return ('type', 'xs:' + builtin)
    return None


def _digits(text, total, fraction):
    try:
        value = Decimal(text)
    except InvalidOperation:
        return ('type', 'xs:decimal')
    sign, digits, exponent = value.as_tuple()
    decimals = max(-exponent, 0) if isinstance(exponent, int) else 0
    # Trailing zeros of the fraction do not count («12.50» has 1 digit).
    stripped = text.strip().lstrip('+-')
    if '.' in stripped:
        decimals = len(stripped.split('.', 1)[1].rstrip('0'))
    integer = len(stripped.split('.', 1)[0].lstrip('0'))
    if fraction is not None and decimals > fraction:
        return ('fraction_digits', str(fraction))
    if total is not None and integer + decimals > total:
        return ('total_digits', str(total))
    return None


class Registry:
    "The packages of PACKAGES, loaded on demand and resolved across imports"

    def __init__(self, packages=PACKAGES, directory=DATA):
        self.files = dict(packages)
        self.directory = directory
        self.objects = {}      # (namespace, name) -> ObjectType
        self.values = {}       # (namespace, name) -> ValueType
        self._raw = {}         # (namespace, name) -> element
        self.loaded = set()
        self._builtins = {}

    def load(self, namespace):
        if namespace in self.loaded:
            return
        self.loaded.add(namespace)
        path = os.path.join(self.directory, self.files[namespace])
        parser = etree.XMLParser(resolve_entities=False, no_network=True,
            remove_comments=True, huge_tree=True)
        root = etree.parse(path, parser).getroot()
        target = root.get('targetNamespace')
        assert target == namespace, (target, namespace)
        for child in root:
            tag = etree.QName(child).localname
            if tag == 'import':
                self.load(child.get('namespace'))
            elif tag in ('objectType', 'valueType'):
                self._raw[(namespace, child.get('name'))] = child

    def builtin(self, name):
        value = self._builtins.get(name)
        if value is None:
            value = self._builtins[name] = ValueType('xs:' + name,
                name).finish()
        return value

    def qname(self, element, text):
        "(namespace, name) of a reference such as «d3p1:Тип» or «{ns}Тип»"
        if text.startswith('{'):
            namespace, _, name = text[1:].partition('}')
            return namespace, name
        prefix, _, name = text.rpartition(':')
        return element.nsmap.get(prefix or None), name

    def get(self, namespace, name):
        "The ObjectType or ValueType (namespace, name)"
        if namespace == XS_NS:
            return None if name == 'anyType' else self.builtin(name)
        self.load(namespace)
        key = (namespace, name)
        if key in self.objects:
            return self.objects[key]
        if key in self.values:
            return self.values[key]
        element = self._raw.get(key)
        if element is None:
            raise KeyError(f'{{{namespace}}}{name}')
        if etree.QName(element).localname == 'objectType':
            return self._object(element, namespace, name)
        return self._value(element, namespace, name)

    def object_type(self, namespace, name):
        result = self.get(namespace, name)
        if not isinstance(result, ObjectType):
            raise KeyError(f'{{{namespace}}}{name}')
        return result

    def top_level(self, namespace):
        """{name: ObjectType} of the objects a Body may hold: the types
        derived from msg:Object, and УдалениеОбъекта"""
        self.load(namespace)
        names = [name for (ns, name), element in self._raw.items()
            if ns == namespace and etree.QName(element).localname
            == 'objectType'
            and (element.get('base') or '').endswith(':Object')]
        if (namespace, 'УдалениеОбъекта') in self._raw:
            names.append('УдалениеОбъекта')
        return {name: self.object_type(namespace, name) for name in names}

    def _type_of(self, element, namespace, owner, prop_name):
        "The type of a property: its type= reference or its typeDef"
        ref = element.get('type')
        if ref:
            return self.get(*self.qname(element, ref))
        for child in element:
            if etree.QName(child).localname != 'typeDef':
                continue
            kind = child.get(XSI_TYPE, '').rpartition(':')[2]
            name = f'{owner}.{prop_name}'
            if kind == 'ObjectType':
                return self._object(child, namespace, name, register=False)
            return self._value(child, namespace, name, register=False)
        return None  # no type: anything

    def _object(self, element, namespace, name, register=True):
        result = ObjectType(name, namespace, element=element)
        if register:
            self.objects[(namespace, name)] = result
        base = element.get('base')
        if base:
            result.base = self.object_type(*self.qname(element, base))
        result.open = element.get('open') == 'true'
        result.ordered = element.get('ordered') != 'false'
        result.abstract = element.get('abstract') == 'true'
        for child in element:
            if etree.QName(child).localname != 'property':
                continue
            prop_name = child.get('name')
            upper = int(child.get('upperBound', '1'))
            prop = Property(prop_name,
                self._type_of(child, namespace, name, prop_name),
                lower=int(child.get('lowerBound', '1')),
                upper=upper if upper >= 0 else None,
                nillable=child.get('nillable') == 'true')
            result.own.append(prop)
        result.finish()
        return result

    def _value(self, element, namespace, name, register=True):
        result = ValueType(name)
        if register:
            self.values[(namespace, name)] = result
        members = element.get('memberTypes')
        if members:
            result.members = [self.get(*self.qname(element, m))
                for m in members.split()]
            result.builtin = 'string'
            return result.finish()
        base = self.get(*self.qname(element, element.get('base',
                    'xs:string')))
        if base.name.startswith('xs:') and base.base is None and (
                base.enumerations is None):
            result.builtin = base.builtin
        else:
            result.base = base
            result.builtin = base.builtin
        for facet in ('length', 'minLength', 'maxLength', 'totalDigits',
                'fractionDigits'):
            if element.get(facet) is not None:
                attribute = re.sub(r'(?<!^)([A-Z])', r'_\1', facet).lower()
                setattr(result, attribute, int(element.get(facet)))
        enumerations = [c.text or '' for c in element
            if etree.QName(c).localname == 'enumeration']
        if enumerations:
            result.enumerations = frozenset(enumerations)
        result.patterns = [re.compile(c.text or '') for c in element
            if etree.QName(c).localname == 'pattern']
        return result.finish()


@functools.cache
def registry():
    "The packages of the module, loaded once per process"
    return Registry()
