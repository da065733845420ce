"""The one Jinja2 environment per template search path.

Templates come from the campaign folder's ``templates/`` (a user's overrides)
first, then from the templates shipped with campaignctl. Undefined names fail
loudly (``StrictUndefined``) so a typo in a template never renders as blank.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from campaignctl.errors import UserError
from campaignctl.render import formatting
from campaignctl.resources import data_dir


class TemplateFailed(UserError):
    """A template could not be loaded or rendered."""


def _search_path(campaign_folder: Path | None, group: str) -> tuple[str, ...]:
    paths = []
    if campaign_folder is not None:
        override = campaign_folder / "templates" / group
        if override.is_dir():
            paths.append(str(override))
    paths.append(str(data_dir("templates") / group))
    return tuple(paths)


@cache
def _environment(search_path: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search_path)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        ru_date=formatting.ru_date,
        ru_date_short=formatting.ru_date_short,
        ru_datetime=formatting.ru_datetime,
        ru_number=formatting.ru_number,
        ru_money=formatting.ru_money,
        ru_quote=formatting.ru_quote,
    )
    env.globals.update(
        plural=formatting.plural,
        counted=formatting.counted,
        ru_date_range=formatting.ru_date_range,
    )
    return env


def environment(group: str, campaign_folder: Path | None = None) -> jinja2.Environment:
    """The environment for a template group ("promo_site", "rules_doc", ...)."""
    return _environment(_search_path(campaign_folder, group))


def render_template(env: jinja2.Environment, template: str, /, **context: object) -> str:
    """Render ``name``; any template problem becomes a :class:`TemplateFailed` naming the file."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise TemplateFailed(
            f"template syntax error in {where}: {exc.message}",
            hint="fix the template (a custom override in the campaign's templates/ folder?)",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateFailed(
            f"template {template} uses an undefined value: {exc.message}",
            hint="check the names used in the template against the campaign model",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateFailed(f"template not found: {exc.name}") from None
