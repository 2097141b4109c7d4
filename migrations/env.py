"""Alembic environment, run through Flask-Migrate (``reis db upgrade``)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from app.models.base import UTCDateTime

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_metadata():
    return current_app.extensions["migrate"].db.metadata


def render_item(type_, obj, autogen_context):
    """Write plain SQLAlchemy types into revisions: migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _common() -> dict:
    return {"target_metadata": get_metadata(), "render_item": render_item,
            "render_as_batch": True, "compare_type": True}


def run_migrations_offline():
    url = current_app.extensions["migrate"].db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url.replace("%", "%%"), literal_binds=True, **_common())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    connectable = current_app.extensions["migrate"].db.engine
    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, DROP, rename); with foreign keys enforced,
            # dropping a table that other rows point at fails. SQLite ignores this pragma inside a
            # transaction, so it goes straight to the driver, before SQLAlchemy begins one; the
            # references are checked once the migrations are done.
            _pragma(connection, "PRAGMA foreign_keys = OFF")
        context.configure(connection=connection,
                          process_revision_directives=process_revision_directives, **_common())
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left broken references: {broken[:5]}")
        finally:
            if sqlite:
                _pragma(connection, "PRAGMA foreign_keys = ON")


def _pragma(connection, sql: str) -> None:
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
