"""The `copp` command: set up, fill and run ГИС ЦОПП.

    copp init                     create the database and activate the suite
    copp demo --scale small       fill it with demo data (region: 35 colleges)
    copp serve                    back office and portals on http://localhost:8000
    copp bench NAME               run a benchmark of scripts/bench/
    copp import KIND FILE         import a file (kinds come from the modules)
"""
import argparse
import importlib
import sys

from .errors import CoppError


def _parser():
    parser = argparse.ArgumentParser(prog='copp',
        description="ГИС ЦОПП Рязанской области: установка, демо-данные, "
        "запуск.")
    parser.add_argument('-c', '--config', help="файл конфигурации "
        "(по умолчанию copp.conf или переменная COPP_CONFIG)")
    parser.add_argument('-d', '--database', help="имя базы данных "
        "(по умолчанию [copp] database из конфигурации)")
    sub = parser.add_subparsers(dest='command', required=True,
        metavar='команда')

    init = sub.add_parser('init', help="создать базу и активировать модули")
    init.add_argument('--email', help="e-mail администратора")
    init.add_argument('--modules', help="модули через запятую (по умолчанию "
        "все модули copp*, или переменная COPP_MODULES)")
    init.add_argument('--no-input', action='store_true',
        help="не спрашивать пароль (взять из COPP_ADMIN_PASSWORD)")

    demo = sub.add_parser('demo', help="загрузить демо-данные")
    demo.add_argument('--scale', choices=['small', 'region'], default='small',
        help="small: 5 колледжей; region: 35 колледжей")
    demo.add_argument('--if-empty', action='store_true',
        help="ничего не делать, если в базе уже есть учреждения")

    serve = sub.add_parser('serve', help="запустить сервер с веб-клиентом")
    serve.add_argument('extra', nargs=argparse.REMAINDER,
        help="дополнительные параметры trytond")

    bench = sub.add_parser('bench', help="запустить бенчмарк")
    bench.add_argument('name', nargs='?', help="имя бенчмарка")
    bench.add_argument('--repeat', type=int, default=7)

    imp = sub.add_parser('import', help="импортировать файл")
    imp.add_argument('kind', help="что импортируется, например students")
    imp.add_argument('file', help="файл xlsx или csv")
    return parser


def importers():
    """Importers offered by the modules: a module `<name>.importers` with a
    dict IMPORTERS = {'students': callable(pool, path, progress) -> str}"""
    from .init import suite_modules
    found = {}
    for name in suite_modules():
        try:
            module = importlib.import_module(f'{name}.importers')
        except ModuleNotFoundError as exc:
            if exc.name in {name, f'{name}.importers'}:
                continue
            raise
        found.update(getattr(module, 'IMPORTERS', {}))
    return found


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        from .config import Settings
        settings = Settings(args.config, args.database)
        if args.command == 'init':
            from . import init
            init.run(settings, interactive=not args.no_input,
                email=args.email, modules=args.modules)
        elif args.command == 'demo':
            from . import demo
            demo.run(settings, args.scale, if_empty=args.if_empty)
        elif args.command == 'serve':
            from . import serve
            serve.run(settings, args.extra)
        elif args.command == 'bench':
            from . import bench
            if not args.name:
                print("Бенчмарки: " + ', '.join(bench.available()))
                return 0
            bench.run(settings, args.name, repeat=args.repeat)
        elif args.command == 'import':
            from . import importing
            importing.run(settings, args.kind, args.file, importers())
    except CoppError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nПрервано.", file=sys.stderr)
        return 130
    return 0


if __name__ == '__main__':
    sys.exit(main())
