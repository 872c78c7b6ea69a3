"""`__access__` is extended in `__setup__`: as a class attribute it is reset
by Model.__setup__ (trytond/model/model.py), and the child model has no
access control at all (issue 15, finding 1)."""
import ast
import unittest
from pathlib import Path

ADDONS = Path(__file__).resolve().parents[2]


class AccessSourceTestCase(unittest.TestCase):
    "The sources of every copp module"

    def test_no_access_class_attribute(self):
        "No model declares __access__ as a class attribute"
        found = []
        for path in sorted(ADDONS.glob('copp*/**/*.py')):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef):
                    continue
                for statement in node.body:
                    targets = []
                    if isinstance(statement, ast.Assign):
                        targets = statement.targets
                    elif isinstance(statement, ast.AnnAssign):
                        targets = [statement.target]
                    if any(isinstance(t, ast.Name) and t.id == '__access__'
                            for t in targets):
                        found.append(f'{path.relative_to(ADDONS)}:'
                            f'{statement.lineno} {node.name}')
        self.assertEqual(found, [])
