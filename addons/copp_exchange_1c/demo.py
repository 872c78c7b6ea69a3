"""Demo data of the 1C exchange: for each college with paid contracts, a
peer «1С:БГУ» with its own organization GUID and an exchange account for the
service of ГИС ЦОПП (a stock 1C base would rather be set up with a shared
folder, FTP or its own published service: README «Настройка»)."""


def populate(env):
    pool = env.pool
    Contract = pool.get('copp.contract')
    Company = pool.get('company.company')
    Peer = pool.get('copp.exchange_1c.peer')
    Account = pool.get('copp.exchange_1c.account')
    company_ids = sorted({c.company.id for c in Contract.search([])})
    colleges = Company.browse(company_ids) or Company.search([
            ('institution_kind', '=', 'college')], limit=2)
    peers = Peer.create([{
                'company': college.id,
                'name': f"1С:БГУ {college.rec_name}",
                } for college in colleges])
    accounts = []
    for index, (college, peer) in enumerate(zip(colleges, peers), 1):
        login = f'1c-bgu-{index}'
        password = f'{login}-demo-2026'
        accounts.append({'company': college.id, 'peer': peer.id,
                'login': login, 'password': password})
        if index <= 2:
            env.add_user("Учётная запись обмена 1С", login, password,
                college.rec_name)
    Account.create(accounts)
    env.count("Узлы обмена с 1С", len(peers))
