"""Every module that defines KB tables, imported in one place for Alembic and tests.

A new table module is added here so that ``alembic revision --autogenerate`` sees it.
"""

from kb import (
    gaps,  # noqa: F401
    models,  # noqa: F401
    orders,  # noqa: F401
    tokens,  # noqa: F401
)
