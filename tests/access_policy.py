"""Who may do what with records that are not their institution's.

The models come from the database (tests/access_probe.py), not from this
file: a model missing here is probed all the same and every operation on
another institution's record must then be refused. This file only lists
what is ALLOWED, and how ownership is read where a company field does not
say it.

Operations: read, search, search_count, export_data (READ) and write,
create, delete, copy (WRITE). A copy is a read of the original and a create
in the user's own institution: allowed where the read is allowed and the
user may create records of the model (ir.model.access). A destructive
operation that is allowed is not sent (it would change the demo data);
everything else is sent.
"""
from tests.access_probe import OPS, READ_OPS

ALL = OPS
READ = READ_OPS

# Roles and their demo users: the college roles of two colleges (each probes
# the other college's records), the region's roles.
COLLEGES = {1: 'РКЭ', 2: 'РЖК'}
COLLEGE_ROLES = {
    'college_admin': 'admin',
    'registrar': 'uch',
    'teacher': 'prep',
    'accountant': 'buh',
    }
REGION_ROLES = {
    'ministry': 'minobr',
    'copp': 'copp',
    }
ROLES = list(COLLEGE_ROLES) + list(REGION_ROLES)

# Where the records of a model are visible to an institution more widely
# than through their company (a partner employer is shared by the colleges
# that have an agreement with it; a training order by its college and the
# employer's partner colleges). A record of another institution is then
# one visible to it and not to the prober's.
VISIBLE_TO = {
    'copp.employer': lambda c: [('agreements.company', '=', c)],
    'copp.employer.contact': lambda c: [
        ('employer.agreements.company', '=', c)],
    'copp.vacancy': lambda c: [('employer.agreements.company', '=', c)],
    'copp.training.order': lambda c: ['OR', ('college', '=', c),
        ('employer.agreements.company', '=', c)],
    'copp.training.order.stage_log': lambda c: ['OR',
        ('order.college', '=', c),
        ('order.employer.agreements.company', '=', c)],
    # the published news are everybody's: another institution's record is
    # its draft
    'copp.news': lambda c: ['OR', ('company', '=', c),
        ('published', '=', True)],
    }

# Records of nobody in particular (catalogues, the portal's accounts, the
# region's aggregates): any record, and the operations of each role.
GLOBAL = {
    # the school calendar and the federal classifier: the ministry keeps them
    'copp.academic.year': dict.fromkeys(ROLES, READ) | {'ministry': ALL},
    'copp.academic.term': dict.fromkeys(ROLES, READ) | {'ministry': ALL},
    'copp.specialty.group': dict.fromkeys(ROLES, READ) | {'ministry': ALL},
    # the portal's settings, sessions and accounts
    # (a copy of the singleton is the singleton itself: nothing created)
    # (the accounts and their sessions are web_user's web.user and
    # web.user.session, outside the copp modules)
    'copp.portal.configuration': {'copp': READ + ('copy',)},
    'copp.portal.token': {},
    # the texts of the consents (versions) and the consents given
    'copp.portal.consent.text': {'ministry': READ,
        'copp': READ + ('write', 'create', 'copy')},
    'copp.portal.consent': {'ministry': READ, 'copp': READ},
    # ЕСИА: the citizens' ЕСИА accounts (the ЦОПП reads them), the pending
    # sign-in requests (nobody)
    'copp.esia.account': {'copp': READ},
    'copp.esia.request': {},
    # the staffing demand of the ЦОПП's labour-market survey (CONTEXT):
    # the region's aggregates, which the colleges plan their admission on
    'copp.survey.demand.report': {'ministry': READ, 'copp': READ,
        'college_admin': READ},
    # the security log of the back office and the portals: its officer's
    # (none of these roles reads another's events)
    'copp.security.event': {},
    # the open-data files (public over HTTP, written by the cron only)
    'copp.opendata.file': {'copp': READ},
    # the outgoing e-mail queue of the portals
    'copp.mail': {'copp': READ},
    # vacancies by specialty: the rows count the vacancies the user sees
    'copp.vacancy.by_specialty': dict.fromkeys(ROLES, READ),
    # the region's rates (no college's data)
    'copp.journal.rate.region': dict.fromkeys(
        ['ministry', 'copp', 'college_admin', 'registrar', 'teacher'], READ),
    }

# Reports computed for a record given in the context: (model, domain) of
# the record, found as the administrator.
CONTEXT = {
    'copp.survey.demand.report': ('survey', 'copp.survey', [
            ('kind', '=', 'labor_market'),
            ('company.institution_kind', '=', 'copp')]),
    }

# What the region reads (and writes) of the institutions' records.
REGION = {
    'ministry': {
        # every college's records, read-only; the numbering settings of the
        # contingent are a college's technical settings
        '*': READ,
        'copp.contingent.numbering': (),
        'copp.training.numbering': (),
        # the personal data access report is the security officer's
        'copp.personal_data.report': (),
        # the ЕСИА conflicts are resolved by the colleges and the ЦОПП
        'copp.esia.conflict': (),
        'copp.esia.conflict.candidate': (),
        },
    'copp': {
        'copp.contingent.report': READ,
        'copp.contingent.report.college': READ,
        'copp.contingent.spo1': READ,
        'copp.study.group': READ,
        'copp.student': READ,
        'copp.student.representative': READ,
        'copp.program': READ,
        'copp.journal.curriculum': READ,
        'copp.journal.curriculum.line': READ,
        'copp.journal.rate.college': READ,
        'copp.journal.rate.group': READ,
        'copp.journal.rate.student': READ,
        'copp.employer': ALL,
        'copp.employer.contact': ALL,
        'copp.employer.agreement': READ,
        'copp.employer.practice_place': READ,
        'copp.employer.practice_place.student': READ,
        'copp.vacancy': ALL,
        'copp.training.order': ALL,
        'copp.training.order.stage_log': READ,
        'copp.event': READ,
        'copp.event.session': READ,
        'copp.event.registration': READ,
        'copp.event.attendance': READ,
        'copp.graduation.attestation': READ,
        'copp.graduation.attestation.line': READ,
        'copp.graduation.document': READ,
        'copp.graduation.document.line': READ,
        'copp.graduation.blank': READ,
        'copp.graduation.blank.batch': READ,
        'copp.graduation.employment': READ,
        'copp.graduation.employment.report': READ,
        'copp.graduation.frdo.overdue': READ,
        'copp.survey.admission_plan': READ,
        # the colleges' own specialties and surveys
        'copp.specialty': READ,
        'copp.specialty.qualification': READ,
        'copp.specialty.duration': READ,
        'copp.survey': READ,
        'copp.survey.section': READ,
        'copp.survey.question': READ,
        'copp.survey.option': READ,
        'copp.survey.row': READ,
        'copp.survey.invitation': READ,
        'copp.survey.response': READ,
        'copp.survey.answer': READ,
        'copp.survey.demand': READ,
        'copp.survey.result': READ,
        # the programmes of the ЦОПП's catalogue that the colleges run: their
        # cohorts, applications, learners, documents and reports (the
        # registration books included), and the colleges' drafts of news
        'copp.program.module': READ,
        'copp.training.application': READ,
        'copp.training.application.log': READ,
        'copp.training.cohort': READ,
        'copp.training.cohort.order': READ,
        'copp.training.cohort.order.line': READ,
        'copp.training.document': READ,
        'copp.training.learner': READ,
        'copp.training.numbering': READ,
        'copp.training.quota.report': READ,
        'copp.training.report': READ,
        'copp.training.timetable': READ,
        'copp.news': READ + ('copy',),
        # e-learning: the ЦОПП monitors the colleges' courses, question banks,
        # quizzes and assignments, and may copy a course material into its own
        'copp.course': READ, 'copp.course.section': READ,
        'copp.course.lesson': READ, 'copp.course.enrolment': READ,
        'copp.course.participant': READ, 'copp.course.progress': READ,
        'copp.course.monitoring': READ, 'copp.course.monitoring.lesson': READ,
        'copp.question.category': READ, 'copp.question': READ + ('copy',),
        'copp.question.answer': READ,
        'copp.quiz': READ + ('copy',), 'copp.quiz.slot': READ,
        'copp.quiz.attempt': READ, 'copp.quiz.attempt.question': READ,
        'copp.quiz.item_analysis': READ,
        'copp.scorm.package': READ + ('copy',), 'copp.scorm.track': READ,
        'copp.assignment': READ + ('copy',),
        'copp.assignment.criterion': READ,
        'copp.assignment.criterion.level': READ,
        'copp.assignment.submission': READ,
        'copp.assignment.submission.score': READ,
        # the ЦОПП resolves the ЕСИА conflicts of every college
        'copp.esia.conflict': READ + ('write',),
        'copp.esia.conflict.candidate': READ,
        },
    }

# What a teacher reads of their own college in a group they do not teach
# (nothing is written there): the timetable and the teaching load of the
# college, the groups, the curricula.
TEACHER_OTHER_GROUP = {
    'copp.study.group': READ,
    'copp.journal.lesson': READ,
    'copp.journal.workload': READ,
    'copp.journal.timetable': READ,
    'copp.journal.timetable.line': READ,
    'copp.journal.curriculum': READ,
    'copp.journal.curriculum.line': READ,
    'copp.journal.rate.group': READ,
    'copp.journal.rate.college': READ,
    # the ЦОПП's cohorts run by the college are its groups of learners
    'copp.training.cohort': READ,
    'copp.training.timetable': READ,
    }

# Creating a copy of another college's record collides with a unique key
# of that record before the record rules are checked (the database refuses
# the duplicate): the refusal is then that of the key, and nothing is
# created. The models where the probe's copy cannot avoid it:
CREATE_KEY_CONFLICTS = {
    'copp.journal.mark', 'copp.journal.absence', 'copp.journal.bell',
    'copp.journal.sheet.line', 'copp.journal.curriculum.line',
    'copp.graduation.blank', 'copp.graduation.employment',
    'copp.contract.numbering', 'copp.event.attendance',
    'copp.survey.admission_plan', 'copp.student', 'copp.contract',
    'copp.contract.charge', 'copp.employer.agreement',
    'copp.exchange_1c.account', 'copp.exchange_1c.peer',
    'copp.academic.year', 'copp.academic.term', 'copp.specialty.group',
    'copp.journal.period', 'copp.survey.invitation', 'copp.survey.response',
    'copp.specialty.duration',
    'copp.course.progress', 'copp.quiz.attempt', 'copp.scorm.track',
    'copp.assignment.submission', 'copp.assignment.submission.score',
    }

# Models the demo cannot give a record of another institution through RPC:
# probed when such a record exists, not required otherwise.
NO_DATA = {
    # written only by a successful exchange with 1C (no 1C in the tests)
    'copp.exchange_1c.object',
    'copp.exchange_1c.unmatched_payment',
    # the portals' outgoing e-mail (none queued in the demo)
    'copp.mail',
    # sign-ins through ЕСИА and the consents given on the portals
    'copp.esia.account', 'copp.esia.request', 'copp.esia.conflict',
    'copp.esia.conflict.candidate', 'copp.portal.consent',
    }


def allowed(role, model, scope='institution'):
    """The operations `role` may do on a record of `model` of another
    institution (scope 'institution'), of nobody ('global') or, for a
    teacher, of their college in a group they do not teach ('group')"""
    if scope == 'global':
        return set(GLOBAL[model].get(role, ()))
    if scope == 'group':
        return set(TEACHER_OTHER_GROUP.get(model, ()))
    region = REGION.get(role)
    if region is None:
        return set()
    return set(region.get(model, region.get('*', ())))
