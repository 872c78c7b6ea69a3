"Catalogues of copp_employer: districts of the Ryazan region, ОКВЭД 2 sections"
import re

# Municipal entities of the Ryazan region (the district of a vacancy or of
# an employer), the four urban districts first.
DISTRICTS = [
    ('ryazan', "Ryazan (city)"),
    ('kasimov_city', "Kasimov (city)"),
    ('sasovo_city', "Sasovo (city)"),
    ('skopin_city', "Skopin (city)"),
    ('aleksandro_nevsky', "Aleksandro-Nevsky District"),
    ('ermishinsky', "Ermishinsky District"),
    ('zakharovsky', "Zakharovsky District"),
    ('kadomsky', "Kadomsky District"),
    ('kasimovsky', "Kasimovsky District"),
    ('klepikovsky', "Klepikovsky District"),
    ('korablinsky', "Korablinsky District"),
    ('miloslavsky', "Miloslavsky District"),
    ('mikhailovsky', "Mikhailovsky District"),
    ('pitelinsky', "Pitelinsky District"),
    ('pronsky', "Pronsky District"),
    ('putyatinsky', "Putyatinsky District"),
    ('rybnovsky', "Rybnovsky District"),
    ('ryazhsky', "Ryazhsky District"),
    ('ryazansky', "Ryazansky District"),
    ('sapozhkovsky', "Sapozhkovsky District"),
    ('saraevsky', "Saraevsky District"),
    ('sasovsky', "Sasovsky District"),
    ('skopinsky', "Skopinsky District"),
    ('spassky', "Spassky District"),
    ('starozhilovsky', "Starozhilovsky District"),
    ('ukholovsky', "Ukholovsky District"),
    ('chuchkovsky', "Chuchkovsky District"),
    ('shatsky', "Shatsky District"),
    ('shilovsky', "Shilovsky District"),
    ]

# Sections of ОКВЭД 2 (ОК 029-2014) and the classes (first two digits) each
# one holds: the industry of an employer follows from its main ОКВЭД code.
INDUSTRIES = [
    (None, ""),
    ('A', "Agriculture, forestry, hunting and fishing"),
    ('B', "Mining and quarrying"),
    ('C', "Manufacturing"),
    ('D', "Electricity, gas and steam supply"),
    ('E', "Water supply, waste management"),
    ('F', "Construction"),
    ('G', "Wholesale and retail trade, repair of vehicles"),
    ('H', "Transportation and storage"),
    ('I', "Accommodation and food service"),
    ('J', "Information and communication"),
    ('K', "Financial and insurance activities"),
    ('L', "Real estate activities"),
    ('M', "Professional, scientific and technical activities"),
    ('N', "Administrative and support service activities"),
    ('O', "Public administration and defence, social security"),
    ('P', "Education"),
    ('Q', "Human health and social work"),
    ('R', "Arts, sports, entertainment and recreation"),
    ('S', "Other service activities"),
    ('T', "Activities of households as employers"),
    ('U', "Activities of extraterritorial organisations"),
    ]
SECTION_CLASSES = {
    'A': range(1, 4), 'B': range(5, 10), 'C': range(10, 34), 'D': [35],
    'E': range(36, 40), 'F': range(41, 44), 'G': range(45, 48),
    'H': range(49, 54), 'I': range(55, 57), 'J': range(58, 64),
    'K': range(64, 67), 'L': [68], 'M': range(69, 76), 'N': range(77, 83),
    'O': [84], 'P': [85], 'Q': range(86, 89), 'R': range(90, 94),
    'S': range(94, 97), 'T': range(97, 99), 'U': [99],
    }
CLASS_SECTION = {c: s for s, classes in SECTION_CLASSES.items()
    for c in classes}
# NN, NN.N, NN.NN, NN.NN.N, NN.NN.NN
OKVED_PATTERN = re.compile(r'^\d{2}(\.\d(\d(\.\d{1,2})?)?)?$')


def okved_valid(code):
    "A code of ОКВЭД 2 in one of its formats, of an existing class"
    if not code or not OKVED_PATTERN.match(code):
        return False
    return int(code[:2]) in CLASS_SECTION


def okved_section(code):
    "The section letter of a valid ОКВЭД 2 code"
    if okved_valid(code):
        return CLASS_SECTION[int(code[:2])]


SIZES = [
    (None, ""),
    ('micro', "Micro (up to 15 employees)"),
    ('small', "Small (16 to 100 employees)"),
    ('medium', "Medium (101 to 250 employees)"),
    ('large', "Large (more than 250 employees)"),
    ]


def size_of(employees):
    "The category of 209-ФЗ by the number of employees"
    if employees is None:
        return None
    if employees <= 15:
        return 'micro'
    if employees <= 100:
        return 'small'
    if employees <= 250:
        return 'medium'
    return 'large'
