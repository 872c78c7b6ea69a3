"""Honours («с отличием») of a diploma of СПО.

All final grades of the supplement at least «хорошо» (зачёт counts as
passed and not in the share), at least 75 % of the graded ones «отлично»,
and every grade of the final state attestation «отлично».
"""
from decimal import Decimal

GRADE_WORDS = {'5': "«отлично»", '4': "«хорошо»", '3': "«удовлетворительно»",
    '2': "«неудовлетворительно»", 'pass': "«зачтено»",
    'fail': "«не зачтено»", 'absent': "неявка"}


def share_text(fives, graded):
    share = (Decimal(100) * fives / graded).quantize(Decimal('0.1'))
    return f"{share}".replace('.', ',') + " %"


def compute_honours(lines, gia_grades):
    """lines: [(label, grade)] of the supplement without the ГИА;
    gia_grades: grades of the ГИА. Returns (honours, share, reason)."""
    reasons = []
    low = [(label, grade) for label, grade in lines
        if grade not in {'5', '4', 'pass'}]
    for label, grade in low:
        reasons.append(f"{label}: {GRADE_WORDS.get(grade, 'нет оценки')}")
    graded = [g for _, g in lines if g in {'5', '4', '3', '2'}]
    fives = sum(1 for g in graded if g == '5')
    share = (Decimal(100) * fives / len(graded)).quantize(Decimal('0.1')) \
        if graded else None
    if not graded:
        reasons.append("нет итоговых оценок")
    elif fives * 4 < len(graded) * 3:
        reasons.append(f"«отлично» {share_text(fives, len(graded))} "
            f"({fives} из {len(graded)}), нужно не менее 75 %")
    if not gia_grades:
        reasons.append("нет оценки ГИА")
    for grade in gia_grades:
        if grade != '5':
            reasons.append(f"ГИА: {GRADE_WORDS.get(grade, 'нет оценки')}")
    if reasons:
        return False, share, "Не выполнено: " + "; ".join(reasons) + "."
    return True, share, ("Выполнено: все итоговые оценки не ниже «хорошо», "
        f"«отлично» {share_text(fives, len(graded))} ({fives} из "
        f"{len(graded)}), ГИА «отлично».")
