"""The xlsx workbooks the suite writes (exports, reports, templates).

Every writer opens its workbook with `workbook()`: xlsxwriter's `write()`
then writes every str as a text cell. By default xlsxwriter turns a string
that starts with «=» into a formula and one that looks like an address into
a hyperlink, so a name typed by a partner or imported from a file
(`=HYPERLINK("http://…")`, `=cmd|…`) would become a live formula in the
spreadsheet of whoever opens the export (formula injection). Formulas the
report itself computes are written with `write_formula()`, on purpose.
"""

# Options every workbook of the suite is opened with.
SAFE_OPTIONS = {
    'strings_to_formulas': False,
    'strings_to_urls': False,
    'strings_to_numbers': False,
    }


def workbook(output, options=None):
    """An xlsxwriter Workbook writing into `output` (a file name or a
    BytesIO) that writes text as text; `options` as xlsxwriter's (in_memory
    is on unless given)"""
    import xlsxwriter
    options = dict({'in_memory': True}, **(options or {}))
    options.update(SAFE_OPTIONS)
    return xlsxwriter.Workbook(output, options)
