"""Safe unpacking of SCORM zips (package_zip, manifest): pure Python, no
database. Every refused archive is refused before anything is written."""
import os
import shutil
import tempfile
import unittest
import zipfile
from xml.sax.saxutils import quoteattr

from copp_scorm import manifest
from copp_scorm.package_zip import (
    MB, Limits, PackageError, check_archive, entry_path, unpack)

from .tools import make_test_package, make_zip, manifest_text, package_files


class UnpackTestCase(unittest.TestCase):

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix='copp-scorm-test-')
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.target = os.path.join(self.folder, 'package', '1')

    def refused(self, data, message, limits=None):
        with self.assertRaises(PackageError) as caught:
            unpack(data, self.target, manifest.parse, limits)
        self.assertEqual(caught.exception.message, message,
            caught.exception.values)
        self.assertFalse(os.path.exists(self.target))
        # No half-written temporary folder either
        parent = os.path.dirname(self.target)
        self.assertEqual(os.listdir(parent) if os.path.isdir(parent)
            else [], [])
        return caught.exception.values

    def test_test_package(self):
        info, size, count = unpack(make_test_package(), self.target,
            manifest.parse)
        self.assertEqual(count, 4)
        self.assertEqual(sorted(os.listdir(self.target)),
            ['imsmanifest.xml', 'index.html', 'sco.js', 'style.css'])
        self.assertEqual(size, sum(len(v) for v in package_files().values()))
        self.assertEqual(info.title, "Охрана труда: вводный модуль")
        self.assertEqual(info.launch, 'index.html?mode=test')
        self.assertEqual(info.identifier, 'ru.copp.test.scorm12')
        self.assertEqual(info.launch_data, 'lang=ru')

    def test_nested_folders_and_backslashes(self):
        data = make_zip(package_files(**{
                    'content\\images\\logo.svg': '<svg/>',
                    'content/': b''}))
        _, _, count = unpack(data, self.target, manifest.parse)
        self.assertEqual(count, 5)
        self.assertTrue(os.path.isfile(os.path.join(self.target, 'content',
                    'images', 'logo.svg')))

    def test_zip_bomb_ratio(self):
        values = self.refused(make_zip(package_files(**{
                        'video/zeros.bin': b'\0' * (20 * MB)})),
            'msg_entry_ratio')
        self.assertEqual(values['entry'], 'video/zeros.bin')
        self.assertGreater(values['ratio'], 100)

    def test_total_ratio(self):
        # Each file is under the per-entry threshold, the whole is a bomb
        files = {f'data/{i}.txt': b'a' * (MB - 1) for i in range(3)}
        self.refused(make_zip(package_files(**files)), 'msg_zip_ratio')

    def test_too_many_files(self):
        files = {f'page{i}.html': 'x' for i in range(20)}
        values = self.refused(make_zip(package_files(**files)),
            'msg_zip_too_many_files', Limits(max_files=10))
        self.assertEqual(values['count'], 24)

    def test_zip_too_large(self):
        self.refused(make_test_package(), 'msg_zip_too_large',
            Limits(max_zip_size=100))

    def test_total_size(self):
        files = {'big.bin': os.urandom(64 * 1024)}
        values = self.refused(make_zip(package_files(**files)),
            'msg_zip_total_too_large', Limits(max_total_size=32 * 1024))
        self.assertEqual(values['entry'], 'big.bin')

    def test_traversal(self):
        values = self.refused(make_zip(package_files(**{'../x': 'evil'})),
            'msg_entry_traversal')
        self.assertEqual(values['entry'], '../x')
        self.refused(make_zip(package_files(**{'a/../../x': 'evil'})),
            'msg_entry_traversal')
        self.refused(make_zip(package_files(**{'a\\..\\..\\x': 'evil'})),
            'msg_entry_traversal')
        self.assertFalse(os.path.exists(os.path.join(self.folder, 'x')))

    def test_absolute_path(self):
        values = self.refused(make_zip(package_files(**{
                        '/etc/cron.d/evil': 'x'})), 'msg_entry_absolute')
        self.assertEqual(values['entry'], '/etc/cron.d/evil')
        self.refused(make_zip(package_files(**{'C:/evil.txt': 'x'})),
            'msg_entry_absolute')

    def test_symlink(self):
        values = self.refused(make_zip(package_files(),
                symlinks={'passwd': '/etc/passwd'}), 'msg_entry_symlink')
        self.assertEqual(values['entry'], 'passwd')

    def test_device_file(self):
        archive = zipfile.ZipFile(os.path.join(self.folder, 'dev.zip'), 'w')
        with archive:
            for name, content in package_files().items():
                archive.writestr(name, content)
            info = zipfile.ZipInfo('null')
            info.create_system = 3
            info.external_attr = (0o020666) << 16  # a character device
            archive.writestr(info, b'')
        with open(os.path.join(self.folder, 'dev.zip'), 'rb') as file:
            data = file.read()
        values = self.refused(data, 'msg_entry_special')
        self.assertEqual(values['entry'], 'null')

    def test_control_characters(self):
        self.refused(make_zip(package_files(**{'a\nb.html': 'x'})),
            'msg_entry_bad_name')

    def test_duplicate(self):
        self.refused(make_zip(package_files(**{'INDEX.HTML': 'x'})),
            'msg_entry_duplicate')

    def test_missing_manifest(self):
        files = package_files()
        del files['imsmanifest.xml']
        files['course/imsmanifest.xml'] = manifest_text()
        self.refused(make_zip(files), 'msg_manifest_missing')

    def test_not_a_zip(self):
        self.refused(b'PK\x03\x04 not really a zip', 'msg_zip_invalid')

    def test_wrong_version(self):
        text = manifest_text().replace(
            '<schemaversion>1.2</schemaversion>',
            '<schemaversion>2004 4th Edition</schemaversion>')
        values = self.refused(make_test_package(**{'imsmanifest.xml': text}),
            'msg_manifest_not_scorm12')
        self.assertEqual(values['version'], '2004 4th Edition')

    def test_encrypted_flag(self):
        data = bytearray(make_test_package())
        # Set the «encrypted» flag of the central directory's entries
        start = data.find(b'PK\x01\x02')
        while start != -1:
            data[start + 8] |= 0x1
            start = data.find(b'PK\x01\x02', start + 4)
        self.refused(bytes(data), 'msg_entry_encrypted')

    def test_launch_file_missing(self):
        files = package_files()
        del files['index.html']
        values = self.refused(make_zip(files), 'msg_manifest_launch_missing')
        self.assertEqual(values['href'], 'index.html')

    def test_check_archive_writes_nothing(self):
        archive, entries = check_archive(make_test_package())
        self.assertEqual(len(entries), 4)
        self.assertEqual(os.listdir(self.folder), [])


class EntryPathTestCase(unittest.TestCase):

    def test_normalised(self):
        self.assertEqual(entry_path('./a//b/./c.html'), 'a/b/c.html')
        self.assertEqual(entry_path('a\\b.js'), 'a/b.js')
        self.assertEqual(entry_path('dir/'), 'dir')

    def test_refused(self):
        for name, message in [('../a', 'msg_entry_traversal'),
                ('a/..', 'msg_entry_traversal'),
                ('/a', 'msg_entry_absolute'),
                ('\\a', 'msg_entry_absolute'),
                ('d:a', 'msg_entry_absolute'),
                ('a\0b', 'msg_entry_bad_name')]:
            with self.subTest(name=name):
                with self.assertRaises(PackageError) as caught:
                    entry_path(name)
                self.assertEqual(caught.exception.message, message)


MANIFEST = '''<?xml version="1.0"?>
<manifest identifier="M1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  %(metadata)s
  <organizations default="%(default)s">
    <organization identifier="ORG-A">
      <title>Первая</title>
      <item identifier="I0"><title>Раздел</title>
        <item identifier="I1" identifierref="R1"><title>Урок</title></item>
      </item>
    </organization>
    <organization identifier="ORG-B">
      <title>Вторая организация</title>
      <item identifier="I2"><title>Раздел</title>
        <item identifier="I3" identifierref="R2" parameters=%(parameters)s>
          <title>Урок 2</title>
          <adlcp:masteryscore>75</adlcp:masteryscore>
        </item>
      </item>
    </organization>
  </organizations>
  <resources xml:base="%(base)s">
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco"
        href="one.html"/>
    <resource identifier="R2" type="webcontent" adlcp:scormtype="sco"
        href=%(href)s/>
  </resources>
</manifest>'''


def manifest_xml(default='ORG-B', parameters='', base='', href='two.html',
        metadata='<metadata><schemaversion>1.2</schemaversion></metadata>'):
    return (MANIFEST % dict(default=default, parameters=quoteattr(parameters),
            base=base, href=quoteattr(href), metadata=metadata)).encode('utf-8')


class ManifestTestCase(unittest.TestCase):

    def test_default_organization(self):
        info = manifest.parse(manifest_xml())
        self.assertEqual(info.title, "Вторая организация")
        self.assertEqual(info.launch, 'two.html')
        self.assertEqual(str(info.mastery_score), '75')
        info = manifest.parse(manifest_xml(default='ORG-A'))
        self.assertEqual(info.title, "Первая")
        self.assertEqual(info.launch, 'one.html')
        self.assertIsNone(info.mastery_score)
        # An unknown default: the first organization
        self.assertEqual(manifest.parse(manifest_xml(default='X')).launch,
            'one.html')

    def test_parameters(self):
        for href, parameters, launch in [
                ('two.html', '?a=1', 'two.html?a=1'),
                ('two.html', 'a=1&b=2', 'two.html?a=1&b=2'),
                ('two.html?x=0', '&a=1', 'two.html?x=0&a=1'),
                ('two.html?x=0', '?a=1', 'two.html?x=0&a=1'),
                ('two.html', '#page3', 'two.html#page3'),
                ('two.html#p1', '#page3', 'two.html#p1'),
                ('two.html', '?a=1#p2', 'two.html?a=1#p2')]:
            with self.subTest(href=href, parameters=parameters):
                info = manifest.parse(manifest_xml(href=href,
                        parameters=parameters))
                self.assertEqual(info.launch, launch)
                self.assertEqual(info.launch_file, 'two.html')

    def test_xml_base(self):
        info = manifest.parse(manifest_xml(base='content/lesson/',
                href='start%20page.html'), {'content/lesson/start page.html'})
        self.assertEqual(info.launch, 'content/lesson/start%20page.html')
        self.assertEqual(info.launch_file, 'content/lesson/start page.html')

    def test_external_launch(self):
        for href in ['http://example.com/sco.html', '../outside.html',
                '//example.com/x.html']:
            with self.subTest(href=href):
                with self.assertRaises(PackageError) as caught:
                    manifest.parse(manifest_xml(href=href))
                self.assertEqual(caught.exception.message,
                    'msg_manifest_launch_external')

    def test_version_by_namespace(self):
        info = manifest.parse(manifest_xml(metadata=''))
        self.assertEqual(info.version, '1.2')
        scorm2004 = manifest_xml(metadata='').replace(
            b'adlcp_rootv1p2', b'adlcp_v1p3')
        with self.assertRaises(PackageError) as caught:
            manifest.parse(scorm2004)
        self.assertEqual(caught.exception.message, 'msg_manifest_not_scorm12')

    def test_no_entities(self):
        evil = b'''<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">
<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<manifest identifier="M"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="O"><organization identifier="O">
    <title>&secret;&lol2;</title>
    <item identifier="I" identifierref="R"/></organization></organizations>
  <resources><resource identifier="R" href="a.html"/></resources>
</manifest>'''
        info = manifest.parse(evil)
        self.assertNotIn('root:', info.title)
        self.assertNotIn('lollol', info.title)
        # In an attribute an unresolved entity is an error of the XML
        with self.assertRaises(PackageError) as caught:
            manifest.parse(evil.replace(b'identifier="M"',
                    b'identifier="&secret;"'))
        self.assertEqual(caught.exception.message, 'msg_manifest_invalid')

    def test_invalid_xml(self):
        with self.assertRaises(PackageError) as caught:
            manifest.parse(b'<manifest><unclosed></manifest>')
        self.assertEqual(caught.exception.message, 'msg_manifest_invalid')

    def test_no_item(self):
        xml = manifest_xml().replace(b'identifierref="R1"', b'').replace(
            b'identifierref="R2"', b'')
        with self.assertRaises(PackageError) as caught:
            manifest.parse(xml)
        self.assertEqual(caught.exception.message, 'msg_manifest_no_launch')

    def test_missing_resource(self):
        xml = manifest_xml().replace(b'identifier="R2"', b'identifier="R9"')
        with self.assertRaises(PackageError) as caught:
            manifest.parse(xml)
        self.assertEqual(caught.exception.message,
            'msg_manifest_resource_missing')
        self.assertEqual(caught.exception.values['resource'], 'R2')

    def test_bad_mastery_score(self):
        xml = manifest_xml().replace(b'>75<', b'>abc<')
        with self.assertRaises(PackageError) as caught:
            manifest.parse(xml)
        self.assertEqual(caught.exception.message, 'msg_manifest_mastery')
