"""A small SCORM 1.2 package made in code (no test code needed): the
builder of zips used by the tests (tests/tools.py) and the sample lesson of
the demo (demo.py), with Russian content."""
import stat
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>{title}</title>
      <item identifier="ITEM-1" identifierref="RES-1">
        <title>{item}</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
        <adlcp:datafromlms>lang=ru</adlcp:datafromlms>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco"
        href="index.html">
      <file href="index.html"/>
      <file href="sco.js"/>
      <file href="style.css"/>
    </resource>
  </resources>
</manifest>
"""

INDEX = """<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{item}</title>
<link rel="stylesheet" href="style.css">
<script src="sco.js"></script>
</head>
<body>
<h1>{item}</h1>
{body}
<p>Вход: <span id="entry">—</span></p>
<p>Сохранённые данные: <span id="suspend">—</span></p>
<p>Результат: <span id="result">—</span></p>
</body>
</html>
"""

STYLE = """body { font-family: sans-serif; margin: 2em; }
h1 { color: #1f4e79; }
"""

SCO_JS = "/* The sample SCO: finds the LMS's API, reports a score of 80 and «passed»,\n   keeps suspend data, commits and finishes. */\n(function () {\n    'use strict';\n    function findAPI(win) {\n        for (var depth = 0; win && depth < 10; depth += 1) {\n            if (win.API) {\n                return win.API;\n            }\n            if (win.parent === win) {\n                break;\n            }\n            win = win.parent;\n        }\n        return null;\n    }\n    function show(id, value) {\n        var node = document.getElementById(id);\n        if (node) {\n            node.textContent = value;\n        }\n    }\n    function run() {\n        var api = findAPI(window) || (window.opener && findAPI(window.opener));\n        if (!api) {\n            show('result', 'no API');\n            return;\n        }\n        if (api.LMSInitialize('') !== 'true') {\n            show('result', 'LMSInitialize: ' + api.LMSGetLastError());\n            return;\n        }\n        var previous = api.LMSGetValue('cmi.suspend_data');\n        show('entry', api.LMSGetValue('cmi.core.entry'));\n        show('suspend', previous || '—');\n        var visits = previous ? parseInt(previous.split('=')[1], 10) + 1 : 1;\n        api.LMSSetValue('cmi.core.lesson_location', 'page-2');\n        api.LMSSetValue('cmi.suspend_data', 'visits=' + visits);\n        api.LMSSetValue('cmi.core.score.min', '0');\n        api.LMSSetValue('cmi.core.score.max', '100');\n        api.LMSSetValue('cmi.core.score.raw', '80');\n        api.LMSSetValue('cmi.core.lesson_status', 'passed');\n        api.LMSSetValue('cmi.core.exit', 'suspend');\n        api.LMSSetValue('cmi.core.session_time', '0000:01:30.00');\n        var committed = api.LMSCommit('');\n        var finished = api.LMSFinish('');\n        show('result', 'commit=' + committed + ' finish=' + finished +\n            ' visits=' + visits);\n    }\n    if (document.readyState === 'loading') {\n        document.addEventListener('DOMContentLoaded', run);\n    } else {\n        run();\n    }\n}());\n"


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


def sample_files(title="Охрана труда: вводный модуль",
        item="Вводный урок", body="<p>Учебный объект SCORM 1.2.</p>",
        identifier='ru.copp.sample.scorm12', mastery=60):
    "{name: str} of a one-SCO SCORM 1.2 package"
    return {
        'imsmanifest.xml': MANIFEST.format(identifier=escape(identifier),
            title=escape(title), item=escape(item), mastery=int(mastery)),
        'index.html': INDEX.format(item=escape(item), body=body),
        'sco.js': SCO_JS,
        'style.css': STYLE,
        }


def make_sample_package(**values):
    "The zip (bytes) of sample_files(**values)"
    return make_zip(sample_files(**values))
