"""Options of the ``almanac`` MkDocs plugin; each attribute's docstring is its documentation."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from generator import DEFAULT_TAG_PATTERN, SECTIONS


class AlmanacConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (for example from an environment variable)."""

    enabled_on_serve = c.Type(bool, default=True)
    """Turn the plugin off for `mkdocs serve` only: faster live previews of the hand-written pages."""

    sections = c.ListOfItems(c.Choice(SECTIONS), default=list(SECTIONS))
    """The groups of generated pages to add: overview, modelcard, releases, contributors, licences,
    resources (learning pages), onboarding (contributing guide and tools), discussions, reference
    (the API reference, with mkdocstrings). `almanac/releases`, `almanac/contributors`… are the
    plugin with one group each."""

    nav_section = c.Optional(c.Type(str))
    """When the site lists its own `nav`, put the generated pages under a section of this title
    (e.g. `Project`); without it they stay out of the nav, reachable through their index pages."""

    repo = c.Optional(c.Type(str))
    """The git repository to describe: a path relative to `mkdocs.yml`, or `demo` for the embedded demo
    model repository. Default: the repository that contains `mkdocs.yml`."""

    prefix = c.Type(str, default="")
    """Folder of the docs tree that receives the generated pages, e.g. `project/`. Default: the root."""

    templates_dir = c.Optional(c.Dir(exists=True))
    """A folder of Jinja2 templates that override Almanac's own by file name (e.g. `overview.md.j2`)."""

    cache = c.Type(bool, default=True)
    """Keep parsed commits in a SQLite cache so the next build reads only new commits."""

    cache_dir = c.Optional(c.Type(str))
    """Where the cache lives, relative to `mkdocs.yml`. Default: `.almanac/` in the described repository."""

    forge_dir = c.Optional(c.Type(str))
    """Where `almanac sync` keeps the forge's record (pull requests, reviews, discussions), relative to
    `mkdocs.yml`. Default: `.almanac/forge/` in the described repository. Builds only read it."""

    resources = c.Optional(c.Type(str))
    """A YAML list of learning resources to recommend (title, link, kind, level, topics, language),
    relative to `mkdocs.yml`. Default: `resources.yml` in the docs folder, when there is one."""

    image_hosts = c.Type(list, default=[])
    """Hosts whose images imported pages may show (e.g. `raw.githubusercontent.com`); other remote
    images are dropped, as they can track readers. Relative images always show. With
    `avatars.githubusercontent.com` listed, the contributors page's avatar wall shows GitHub's pictures
    of people whose GitHub id is known; without it, initials drawn at build time."""

    language = c.Optional(c.Type(str))
    """Language of the generated pages' headings and table headers: `en` or `zh` (Simplified Chinese).
    Default: the theme's `language`, so `theme: {language: zh}` switches them with mkdocs-material's."""

    tag_pattern = c.Type(str, default=DEFAULT_TAG_PATTERN)
    """Regular expression a tag must match to count as a release; other tags are ignored."""

    changelog_rules = c.Optional(c.File(exists=True))
    """A YAML file merged over Almanac's release-note rules (`generator/data/changes.yml`): sections,
    prefixes, first words, breaking-change phrases."""

    pages = c.Type(bool, default=True)
    """Add Almanac's generated pages (overview, releases, contributors, feeds). Turn off to keep only
    the per-page authorship of your own pages."""

    api_reference = c.Optional(c.Type(bool))
    """Add an API reference page per Python package (`reference/<package>/`, with mkdocstrings). Default:
    when the site has mkdocstrings and no API reference of its own; a site that generates one (the
    `gen-files` plugin) or writes `::: package` for one of the packages in its pages keeps its own
    alone, as two pages documenting one object make mkdocs-autorefs warn ("Multiple primary URLs") and
    `--strict` fail.
    `true` adds Almanac's anyway; `false` never."""

    page_authorship = c.Type(bool, default=True)
    """Give every page built from a file of the repository its last update, creation date and
    contributors, in mkdocs-material's page footer, from the history walk (no git call per page).
    Generated pages get the date of the data they show. A `git-committers` or `git-authors` plugin that
    is enabled gives the page authors instead (Almanac adds only the dates the site lacks); one that is
    listed but disabled leaves them to Almanac. The build log says which."""

    import_docs = c.Optional(c.Type(str))
    """A folder of the described repository (e.g. `docs`) whose files, with every Markdown file of the
    repository (its READMEs), are added to the site under `<prefix>/model/`, with e-mail addresses
    redacted: for a site that lives outside the model repository."""
