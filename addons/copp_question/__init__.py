"""The question bank: categories, questions and answers (question.py),
the grading of a response (grading.py), the formats Moodle XML, GIFT and
xlsx (moodle_xml.py, gift.py, spreadsheet.py) and their wizards."""
