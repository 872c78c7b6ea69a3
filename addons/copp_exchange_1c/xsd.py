"""The object types of an XDTO package (xdto.py) written as an XML Schema,
so that libxml2 checks a whole Body at C speed.

validator.py checks a Body with it first: a Body the schema accepts has no
issue. Only when the schema refuses it does the validator walk the objects
in Python, which names each problem in Russian (the object, its Ссылка, the
property) and lets through what an open type allows (undeclared
properties, which an XML Schema 1.0 sequence cannot). The schema is exactly
the strict check: the properties of each type in their order (`all` for
the few unordered ones, whose properties occur at most once), their
bounds, nillable, and the value types with their facets; a type's base
properties first."""
import functools
from xml.sax.saxutils import quoteattr

from lxml import etree

from .xdto import ObjectType, ValueType, registry

XS = 'http://www.w3.org/2001/XMLSchema'


class _Writer:

    def __init__(self, namespace):
        self.namespace = namespace
        self.registry = registry()
        self.parts = []
        self.named = {}        # id(type) -> name in the schema
        self.pending = []

    def name_of(self, type_):
        "The schema name of a named type (written once)"
        key = id(type_)
        name = self.named.get(key)
        if name is None:
            name = self.named[key] = f't{len(self.named)}'
            self.pending.append((name, type_))
        return name

    def ref(self, type_):
        if type_ is None:
            return 'xs:anyType'
        if isinstance(type_, ValueType) and type_.base is None and (
                type_.members is None and type_.enumerations is None
                and not type_.patterns and type_.length is None
                and type_.min_length is None and type_.max_length is None
                and type_.total_digits is None
                and type_.fraction_digits is None):
            return f'xs:{type_.builtin}'
        return f'c:{self.name_of(type_)}'

    def simple(self, type_, name=None):
        head = f'<xs:simpleType name="{name}">' if name else '<xs:simpleType>'
        if type_.members is not None:
            members = ' '.join(self.ref(m) for m in type_.members)
            return f'{head}<xs:union memberTypes="{members}"/></xs:simpleType>'
        base = self.ref(type_.base) if type_.base is not None else (
            f'xs:{type_.builtin}')
        facets = []
        for value in sorted(type_.enumerations or ()):
            facets.append(f'<xs:enumeration value={quoteattr(value)}/>')
        for pattern in type_.patterns:
            facets.append(f'<xs:pattern value={quoteattr(pattern.pattern)}/>')
        for facet, value in (('length', type_.length),
                ('minLength', type_.min_length),
                ('maxLength', type_.max_length),
                ('totalDigits', type_.total_digits),
                ('fractionDigits', type_.fraction_digits)):
            if value is not None:
                facets.append(f'<xs:{facet} value="{value}"/>')
        return (f'{head}<xs:restriction base="{base}">{"".join(facets)}'
            '</xs:restriction></xs:simpleType>')

    def element(self, prop):
        type_ = prop.type
        bounds = ''
        if prop.lower != 1:
            bounds += f' minOccurs="{prop.lower}"'
        if prop.upper is None:
            bounds += ' maxOccurs="unbounded"'
        elif prop.upper != 1:
            bounds += f' maxOccurs="{prop.upper}"'
        if prop.nillable:
            bounds += ' nillable="true"'
        name = quoteattr(prop.name)
        if type_ is not None and not self._named(type_):
            inner = (self.complex(type_) if isinstance(type_, ObjectType)
                else self.simple(type_))
            return f'<xs:element name={name}{bounds}>{inner}</xs:element>'
        return f'<xs:element name={name} type="{self.ref(type_)}"{bounds}/>'

    def _named(self, type_):
        "Whether the type is a named one of the package (not a typeDef)"
        key = (type_.namespace if isinstance(type_, ObjectType)
            else self.namespace, type_.name)
        return (key in self.registry.objects and self.registry.objects[
                key] is type_) or (key in self.registry.values
            and self.registry.values[key] is type_) or (
            isinstance(type_, ValueType) and type_.name.startswith('xs:'))

    def complex(self, type_, name=None):
        head = (f'<xs:complexType name="{name}">' if name
            else '<xs:complexType>')
        elements = ''.join(self.element(p) for p in type_.properties)
        # The unordered types of the package have each property at most
        # once: xs:all is exact.
        tag = 'sequence' if type_.ordered else 'all'
        group = f'<xs:{tag}>{elements}</xs:{tag}>'

        return f'{head}{group}</xs:complexType>'

    def write(self):
        objects = self.registry.top_level(self.namespace)
        body = ''.join(
            f'<xs:element name={quoteattr(name)} type="c:{self.name_of(t)}"/>'
            for name, t in sorted(objects.items()))
        definitions = []
        while self.pending:
            name, type_ = self.pending.pop()
            definitions.append(self.complex(type_, name)
                if isinstance(type_, ObjectType)
                else self.simple(type_, name))
        return ''.join([
            f'<xs:schema xmlns:xs="{XS}" xmlns:c="{self.namespace}" ',
            f'targetNamespace="{self.namespace}" ',
            'elementFormDefault="qualified">',
            '<xs:element name="Body"><xs:complexType>',
            f'<xs:choice minOccurs="0" maxOccurs="unbounded">{body}',
            '</xs:choice></xs:complexType></xs:element>',
            *definitions, '</xs:schema>'])


@functools.cache
def schema(namespace):
    "The compiled XML Schema of the Body of the package of namespace"
    text = _Writer(namespace).write()
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False,
        no_network=True)
    return etree.XMLSchema(etree.fromstring(text.encode('utf-8'), parser))


def body_valid(body, namespace):
    "Whether the schema accepts the Body (False: look closer)"
    try:
        return schema(namespace).validate(body)
    except etree.Error:
        return False
