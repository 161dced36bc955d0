"""One module per page area; importing them registers their routes on ``web.bp``."""


def load_pages() -> None:
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
