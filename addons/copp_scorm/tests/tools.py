"""Helpers of the copp_scorm tests (also used by the browser test of the
whole course): the tiny SCORM 1.2 package of tests/data and zips made to
order."""
import stat
import zipfile
from io import BytesIO
from pathlib import Path

DATA = Path(__file__).parent / 'data'
PACKAGE_FILES = ['imsmanifest.xml', 'index.html', 'sco.js', 'style.css']


def make_zip(files, symlinks=None, compression=zipfile.ZIP_DEFLATED):
    """A zip of {name: bytes or str} (names written as given, even «../x»)
    with optional symbolic link entries {name: target}"""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression) as archive:
        for name, content in files.items():
            if isinstance(content, str):
                content = content.encode('utf-8')
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compression
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, content)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def package_files(**replace):
    "{name: bytes} of the test package, some files replaced or added"
    files = {name: (DATA / name).read_bytes() for name in PACKAGE_FILES}
    files.update(replace)
    return files


def make_test_package(**replace):
    """The test SCORM 1.2 package (bytes of a zip): its SCO initialises the
    API, keeps suspend data, sets the score 80 of 0..100 and «passed»,
    commits and finishes"""
    return make_zip(package_files(**replace))


def manifest_text():
    return (DATA / 'imsmanifest.xml').read_text(encoding='utf-8')
