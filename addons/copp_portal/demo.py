"""Demo data of copp_portal: the operator's contacts shown in the footer of
every portal page and on the personal data page (see copp.cli.demo)."""

CONTACTS = {
    'contact_organization': "ГАУ ДПО «Центр опережающей профессиональной "
    "подготовки Рязанской области»",
    'contact_address': "390000, г. Рязань, ул. Ленина, д. 15",
    'contact_phone': "+7 (4912) 50-60-70",
    'contact_email': "info@demo.copp62.ru",
    }


def populate(env):
    Configuration = env.pool.get('copp.portal.configuration')
    Configuration.write([Configuration(1)], CONTACTS)
