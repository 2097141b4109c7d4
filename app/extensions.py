"""Extension singletons, bound to the app in ``create_app``."""

from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# One constraint naming convention, so migrations name things the same on
# SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# The models' base. At run time it is Flask-SQLAlchemy's ``db.Model`` (a class made at run time,
# which a type checker cannot follow as a base class); to the checker it is the declarative base
# that ``db.Model`` extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
#: counts failed sign-ins (``app.web.auth``) and failed API tokens (``app.ratelimit``) in one
#: storage; bound in ``app.web.auth.init_app``. The address is the client's: behind a proxy,
#: ``REIS_TRUSTED_PROXIES`` makes it so (``app._trust_proxies``).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)
