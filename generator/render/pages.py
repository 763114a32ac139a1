"""Knowledge → ``{page path: Markdown}`` through Jinja2 templates that users may override.

The environment escapes every printed value (``finalize``) unless Python marked it
:class:`~markupsafe.Markup` on purpose, so a template author cannot forget to escape a stranger's text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from generator.analysis.history.automation import split_by_kind
from generator.analysis.history.changes import (
    bot_keys,
    grouped,
    section_entries,
)
from generator.analysis.history.dates import format_date
from generator.analysis.licences.scope import spdx_of
from generator.build import Built
from generator.model.errors import AlmanacError
from generator.model.knowledge import Commit, Knowledge, Person, Release
from generator.render.avatars import initials_avatar, remote_avatar
from generator.render.badges import badge
from generator.render.charts import ReleasePoint, bar_chart, months_back, per_month, release_cadence, sparkline
from generator.render.feeds import ATOM_PATH, JSON_PATH, atom_feed, json_feed
from generator.render.i18n import translations
from generator.render.sections import SECTIONS, section_of
from generator.render.templatecache import template_code_cache
from generator.sources.forges.links import ForgeLinks, source_links, source_profile
from generator.text.safehtml import inert_markdown, render_untrusted
from generator.text.safetext import escape_inline, plain_line
from generator.text.slugs import SlugRegistry


def builtin_templates() -> Path:
    """The project's own templates: inside the package when installed from a wheel (pyproject maps
    ``templates/`` to ``generator/templates``), beside it in a source checkout or editable install."""
    packaged = Path(__file__).parents[1] / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


def _finalize(value: Any) -> Any:
    """Every printed value is escaped for Markdown and HTML unless it is Markup (a macro's output, a URL
    checked by :func:`safe_url`): with ``autoescape`` on, Jinja then leaves the result alone."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, (int, float)):
        return Markup(str(value))
    return Markup(escape_inline(str(value)))


def _join(values: Iterable[Any], separator: str = "") -> Markup:
    """Jinja's own ``join`` only HTML-escapes in autoescape mode; Markdown needs more. The separator is
    the template's own text, kept with its spaces (Markdown escaping would fold them away)."""
    return Markup(escape(separator)).join(_finalize(value) for value in values)


def environment(template_dirs: Sequence[Path] = (), language: str = "en") -> jinja2.Environment:
    # A user's folders come first, so any page can be overridden by a template of the same name.
    search_path = [str(path) for path in template_dirs] + [str(builtin_templates())]
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],  # _("label"): the fixed labels, translated (see generator.render.i18n)
        loader=jinja2.FileSystemLoader(search_path),
        autoescape=True,  # with _finalize: values get Markdown-safe escaping, macros' output is kept as is
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(date=format_date, url=safe_url, block=escape_block, join=_join, short=lambda sha: sha[:8],
                       code_block=code_block, meta=meta_value,
                       join_text=lambda values, sep="": sep.join(str(v) for v in values))
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.bytecode_cache = template_code_cache(env)
    return env


def safe_url(url: str | None) -> Markup:
    """Only ``https`` URLs, percent-encoded so no quote or bracket can end the Markdown link early."""
    if not url or not url.startswith("https://"):
        return Markup("")
    return Markup(quote(url, safe=":/?=&+%#.-_~"))


def meta_value(value: Any) -> Markup:
    """A stranger's text as a front-matter value (a card's tags): one line, HTML-escaped, since the theme
    prints page metadata unescaped, then quoted as JSON, which YAML reads as a string."""
    return Markup(json.dumps(str(escape(plain_line(str(value))))))


def code_block(text: str, language: str = "", indent: int = 0) -> Markup:
    """Repository text shown verbatim in a code block, made inert first: snippets and macros read the
    page's lines before any code block exists (see :func:`~generator.text.safehtml.inert_markdown`).

    At the left margin it is a fenced block, the fence longer than any backtick run inside it (so no
    text can close it early). In a list item (``indent``) it is an indented code block: Python-Markdown's
    own fences are not recognised there, and a fence read as text would let a line of the text become
    raw HTML; indentation is code in every Markdown (without the language's colours).
    """
    lines = inert_markdown(text).rstrip("\n").split("\n")
    if indent:
        pad = " " * (indent + 4)
        return Markup("\n".join(pad + line if line.strip() else "" for line in lines) + "\n")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup("\n".join([f"{fence}{language}", *lines, fence]) + "\n")


def escape_block(text: str) -> Markup:
    """Multi-line untrusted text (tag messages): each line escaped, lines and paragraphs kept, so a
    message's own ``- item`` lines still read as a list (a list is harmless; leading spaces are dropped,
    so no line can become a code block)."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("\n\n".join("\n".join(_block_line(line) for line in p.splitlines()) for p in paragraphs))


def _block_line(line: str) -> str:
    escaped = escape_inline(line)
    # A line of dashes would turn the line above into a heading (or draw a rule): keep it text.
    return f"&#45;{escaped[1:]}" if escaped and set(escaped) <= {"-", " "} else escaped


@dataclass(frozen=True, slots=True)
class ChangeView:
    commit: Commit
    subject: str
    author: Person
    co_authors: list[Person]


def change_views(shas: list[str], knowledge: Knowledge) -> list[ChangeView]:
    views = []
    for sha in shas:
        commit = knowledge.commits[sha]
        if commit.is_merge:
            continue
        author_key, co_author_keys = knowledge.authorship[sha]
        views.append(
            ChangeView(
                commit=commit,
                subject=commit.subject or "(no commit message)",
                author=knowledge.people[author_key],
                co_authors=[knowledge.people[key] for key in co_author_keys],
            )
        )
    return views


def render_pages(
    built: Built | Knowledge,
    template_dirs: Sequence[Path] = (),
    highlights: Mapping[str, str] | None = None,
    api_reference: bool = False,
    language: str = "en",
    imported: Sequence[str] = (),
    sections: Collection[str] = SECTIONS,
    feeds: bool = False,
    site_url: str | None = None,
    remote_avatars: bool = False,
) -> dict[str, str]:
    """Every generated page, keyed by its path relative to the docs folder, in a stable order.

    ``api_reference`` adds a page per Python package of the repository made of mkdocstrings'
    ``::: package`` directive: only for a site that has the mkdocstrings plugin to expand it.
    ``imported`` are the repository's Markdown files the site shows under ``model/`` (``import_docs``):
    links to them stay on the site.

    ``built`` is what :func:`generator.build.build` returns (a bare knowledge is built on the spot):
    every analysis a page shows is computed there, once, so the pages only format it. ``highlights`` maps a
    release's slug to hand-written Markdown shown above its generated list: the maintainers' own words,
    so they are not escaped. Only the pages of ``sections`` (see :mod:`generator.render.sections`) are rendered.
    ``feeds`` adds the releases' Atom and JSON feeds (:data:`~generator.render.feeds.ATOM_PATH`,
    :data:`~generator.render.feeds.JSON_PATH`, at the site's root) and links the releases index to them;
    their entries link to the release pages, absolutely when ``site_url`` is known.
    ``remote_avatars`` lets the contributors wall show GitHub's pictures (the site allows images from
    :data:`~generator.render.avatars.AVATAR_HOST`); without it every avatar is initials drawn at build time.
    """
    if not isinstance(built, Built):
        built = Built(built)
    knowledge = built.knowledge
    _ = built.notes  # fills each release's changes, which pages beyond the release notes show
    feed_paths = (ATOM_PATH, JSON_PATH) if feeds and "releases" in sections else None
    env = environment(template_dirs, language)
    common = {
        "knowledge": knowledge,
        "state": knowledge.state,
        "activity": knowledge.activity,
        "person_of": knowledge.people.__getitem__,
        "release_slug": {release.tag: release.slug for release in knowledge.releases}.__getitem__,
        # the origin's forge (None without one): templates link PRs, commits and compares through it
        "forge": ForgeLinks.of(knowledge.clone_url),
        "feeds": feed_paths,
        # a section's changes as release notes list them: bumps of one package folded, routine commits apart
        "section_entries": partial(section_entries, bots=bot_keys(knowledge.people)),
    }
    releases_newest_first = list(reversed(knowledge.releases))
    pages: dict[str, str] = {}

    def render(path: str, template: str, **context: Any) -> None:
        if section_of(path) not in sections:
            return
        try:
            pages[path] = env.get_template(template).render(**common, **context)
        except jinja2.TemplateSyntaxError as error:
            raise AlmanacError(f"{error.filename or template}:{error.lineno}: {error.message}") from error
        except jinja2.TemplateError as error:
            raise AlmanacError(f"{_template_origin(error, template)}: {error} (while rendering {path})") from error

    latest = next((r for r in releases_newest_first if not r.prerelease), None)
    render("index.md", "overview.md.j2", latest=latest, model_slug=model_slugs(knowledge).__getitem__,
           badges=overview_badges(knowledge, latest))
    if "licences" in sections:
        known, no_checklist = built.checklists
        render("licence.md", "licence.md.j2", timeline=built.licence_timeline,
               checklists=known, unlisted=no_checklist, spdx_of=spdx_of)
    if "modelcard" in sections:
        _render_cards(built, releases_newest_first, render)
    if "releases" in sections:
        _render_releases(built, highlights or {}, render)
    if feed_paths is not None:
        pages[ATOM_PATH] = atom_feed(knowledge, site_url, "releases/")
        pages[JSON_PATH] = json_feed(knowledge, site_url, "releases/")
    if "contributors" in sections:
        _render_contributors(built, render, remote_avatars)
    if "discussions" in sections and not built.discussions.empty:
        render("discussions.md", "discussions.md.j2", digest=built.discussions, links_of=source_links,
               profile_of=source_profile)
    if knowledge.resources is not None and not {"resources", "onboarding", "reference"}.isdisjoint(sections):
        _render_learning(built, render, api_reference, frozenset(imported))
    return pages


def _render_cards(built: Built, releases_newest_first: list[Release], render: Callable[..., None]) -> None:
    """The repository's own model card, and one per model folder."""
    knowledge = built.knowledge
    if knowledge.card is not None:
        render("card.md", "card.md.j2", name=knowledge.name, card=knowledge.card, releases=releases_newest_first,
               tags=built.card_tags, changed_by=_change_commits(knowledge))
    for model, slug in zip(knowledge.models, model_slugs(knowledge), strict=True):
        render(f"models/{slug}.md", "card.md.j2", name=model.title or model.folder, card=model.card, releases=[],
               tags=[], changed_by={})


def _render_releases(built: Built, highlights: Mapping[str, str], render: Callable[..., None]) -> None:
    """The releases index, with what is not released yet, and a page per release."""
    knowledge, notes = built.knowledge, built.notes
    render(
        "releases/index.md",
        "releases/index.md.j2",
        releases=list(reversed(knowledge.releases)),
        people_in=lambda release: len(split_by_kind(knowledge.people[key] for key in release.authors).humans),
        unreleased=notes.unreleased,
        unreleased_sections=grouped(notes.unreleased),
        coverage=notes.coverage,
        cadence=release_cadence([ReleasePoint(release.tag, release.timestamp,
                                              format_date(release.timestamp, release.utc_offset),
                                              len(release.changes), release.prerelease)
                                 for release in knowledge.releases]),
    )
    for release in knowledge.releases:
        who = split_by_kind(knowledge.people[key] for key in release.authors)
        render(
            f"releases/{release.slug}.md",
            "releases/release.md.j2",
            release=release,
            highlights=Markup(highlights.get(release.slug, "").strip()),
            sections=grouped(release.changes),
            breaking=[change for change in release.changes if change.breaking],
            prereleases=[(rc, grouped(rc.changes)) for rc in built.prereleases.get(release.tag, [])],
            authors=who.humans,
            apart=who,
            agent_share=built.agents.by_release[release.tag],
            previous=_release_named(knowledge.releases, release.previous),
            grammars=built.grammars[release.tag],
        )


def _render_contributors(built: Built, render: Callable[..., None], remote_avatars: bool = False) -> None:
    """The contributors index, the community-health page and a page per listed person."""
    knowledge, notes = built.knowledge, built.notes
    listed = [p for p in knowledge.people.values() if p.listed]  # opted-out people get no row and no page
    kinds = split_by_kind(listed)
    humans = kinds.humans
    figures = built.acceptance
    acceptance = figures.by_person
    unlisted = sum(1 for p in knowledge.people.values() if not p.listed and not p.is_bot)
    recent = built.recent_activity
    render("contributors/index.md", "contributors/index.md.j2", humans=humans, bots=kinds.bots, agents=kinds.agents,
           machines=kinds.machines, acceptance=acceptance,
           agent_total=built.agents.total, agent_quarters=built.agents.by_quarter,
           unlisted=unlisted, recent=recent, recent_people=sorted(
               (p for p in humans if p.key in recent), key=lambda p: (-sum(recent[p.key]), p.name.casefold(), p.key)),
           project=figures.project, heads=figures.heads, strangers=figures.strangers,
           avatars=[(person, remote_avatar(person.name, person.avatar_url)
                     if remote_avatars and person.avatar_url else initials_avatar(person.name, person.key))
                    for person in humans])
    reviews = built.reviews
    forge_context = {
        "reviews": reviews.project, "hours": _hours, "display": partial(_display, knowledge),
        "forge_sources": [cache.source for cache in knowledge.forge],
        "synced": max((cache.synced_at for cache in knowledge.forge), default=0),
        "reviewers_by_area": reviews.by_area,
    }
    health = built.health
    chart = bar_chart("Contributors per month", [month.label for month in health.months[-36:]],
                      [("contributors", [month.contributors for month in health.months[-36:]]),
                       ("new contributors", [month.newcomers for month in health.months[-36:]])])
    render("contributors/health.md", "contributors/health.md.j2", health=health, chart=chart,
           humans=len(humans) + unlisted, heads=figures.heads, **forge_context)
    releases_by_tag = {release.tag: release for release in knowledge.releases}
    months = months_back(knowledge.now, 24)
    for person in listed:
        monthly = per_month((knowledge.commits[sha].author.timestamp for sha in person.commits), months)
        render(
            f"contributors/{person.slug}.md",
            "contributors/person.md.j2",
            person=person,
            recent=change_views(sorted(person.commits, key=lambda s: _newest(knowledge, s))[:20], knowledge),
            areas=sorted(person.areas.items(), key=lambda item: (-item[1], item[0]))[:8],
            person_releases=[releases_by_tag[tag] for tag in reversed(person.releases)],
            pull_requests=[pr for pr in reversed(notes.pull_requests) if pr.author == person.key],
            acceptance=acceptance.get(person.key),
            reviews=reviews.people.get(person.key),
            hours=_hours,
            activity_chart=sparkline(f"Commits per month by {person.name}", months, monthly),
            activity_months=list(zip(months, monthly, strict=True)),
        )


def overview_badges(knowledge: Knowledge, latest: Release | None) -> list[Markup]:
    """The overview's facts as badges: licence, size and latest release, each only when the repository
    states it (no badge says "unknown")."""
    badges = []
    if knowledge.declared_licence:
        badges.append(badge("licence", str(knowledge.declared_licence.value)))
    size = next((fact for fact in knowledge.model_facts if fact.label.startswith("Parameters")), None)
    if size is not None:
        short = re.search(r"\(([^()]*)\)$", size.value)
        badges.append(badge("parameters", short.group(1) if short else size.value))
    if latest is not None:
        badges.append(badge("release", latest.tag))
    return badges


def _render_learning(built: Built, render: Callable[..., None], api_reference: bool,
                     imported: frozenset[str]) -> None:
    """The learning pages, the onboarding guide and the tools page (for builds that read the models)."""
    from generator.analysis.community.citations import citation_apa, citation_bibtex, own_citations, paper_bibtex

    knowledge = built.knowledge
    assert knowledge.resources is not None
    web = knowledge.clone_url.removesuffix(".git") if knowledge.clone_url else None
    branch = knowledge.state.branch or "main"

    def repo_link(path: str) -> Markup:
        """A repository path as a page of the site when it is imported, else its address on the forge
        (empty when neither is known); percent-encoded, so no character of the path ends the link."""
        if path in imported:
            return Markup(quote(f"../model/{path}", safe="/._-~"))
        if not web:
            return Markup("")
        return safe_url(f"{web}/-/blob/{branch}/{path}" if "gitlab" in web else f"{web}/blob/{branch}/{path}")

    papers = built.papers
    citation = knowledge.citation
    cite_key = re.sub(r"[^a-z0-9]+", "", knowledge.name.lower()) or "model"
    render("learn/index.md", "learn/index.md.j2", name=knowledge.name, citation=citation,
           citation_apa=citation_apa(citation) if citation else None,
           citation_bibtex=citation_bibtex(citation, cite_key) if citation else "",
           own_bibtex=own_citations(knowledge.bibtex, citation), curated=knowledge.curated,
           discovered=knowledge.resources.items, papers=papers, repo_link=repo_link, kind_names=_KIND_NAMES)
    for paper in papers:
        render(f"learn/papers/{paper.slug}.md", "learn/paper.md.j2", paper=paper,
               bibtex=paper_bibtex(paper, knowledge.bibtex))
    guide = built.guide
    areas = Counter(path.split("/", 1)[0] for path in knowledge.tree_paths if "/" in path)
    contributing = render_untrusted(knowledge.config_texts[guide.contributing], 20_000) \
        if guide.contributing else None
    render("onboarding.md", "onboarding.md.j2", name=knowledge.name, guide=guide, merge_names=_MERGE_NAMES,
           style_names=_STYLE_NAMES, areas=sorted(areas.items()),
           packages=[package for package, _ in knowledge.python_packages] if api_reference else [],
           contributing=contributing)
    tools = built.tools
    groups = [(group, [tool for tool in tools if tool.group == group])
              for group in dict.fromkeys(tool.group for tool in tools)]
    render("tools.md", "tools.md.j2", name=knowledge.name, groups=groups)
    if api_reference:
        for package, _ in knowledge.python_packages:  # identifiers only: safe to write as mkdocstrings' id
            render(f"reference/{package}.md", "reference.md.j2", package=Markup(package),
                   static_only=[Markup(option) for option in STATIC_ONLY])


#: mkdocstrings-python's options that let griffe import a module (a compiled extension it cannot read, or
#: any module when forced), turned off in the reference pages: building the site runs none of the repository's code.
STATIC_ONLY = ("allow_inspection", "force_inspection")

_KIND_NAMES = {"doc": "documentation", "notebook": "notebooks", "example": "examples", "course": "courses",
               "book": "books", "tutorial": "tutorials", "paper": "papers", "video": "videos", "tool": "tools",
               "other": "other"}
_MERGE_NAMES = {"squash": "squash-merged", "merge": "merged with a merge commit", "rebase": "rebased"}
_STYLE_NAMES = {"conventional": "Conventional Commits (type(scope): subject)", "area": "area: subject (Go style)",
                "uppercase": "upper-case type prefixes (FIX, ENH, DOC: subject)",
                "mixed": "mixed: no single convention"}


def _hours(value: float | None) -> str:
    """A duration in hours as people say it: "40 min", "5 h", "3 days"."""
    if value is None:
        return "—"
    if value < 1:
        return f"{max(1, round(value * 60))} min"
    return f"{value:.0f} h" if value < 48 else f"{value / 24:.0f} days"


def _display(knowledge: Knowledge, key: str) -> str:
    """A person key as a name for a table: the person's name, a forge login, or nobody listed."""
    person = knowledge.people.get(key)
    if person is not None:
        return person.name if person.listed else "one unlisted person"
    return key.removeprefix("login:")


def _change_commits(knowledge: Knowledge) -> dict[tuple[str, str], list[str]]:
    """(release tag, path) → the release's commits that touched the path, oldest first: the commits
    behind each model change the card lists."""
    found: dict[tuple[str, str], list[str]] = {}
    for release in knowledge.releases:
        own = set(release.commits)
        for change in release.model_changes:
            shas = [sha for sha in knowledge.page_commits.get(change.path, ()) if sha in own]
            if shas:
                found[(release.tag, change.path)] = shas
    return found


def model_slugs(knowledge: Knowledge) -> list[str]:
    """File names of the sub-models' card pages, unique and safe whatever the folders are called."""
    registry = SlugRegistry()
    return [registry.claim(model.folder) for model in knowledge.models]


def data_dates(knowledge: Knowledge) -> dict[str, tuple[int, int]]:
    """Generated page → (timestamp, UTC offset) of the data it shows: a page about a release is as old
    as the release, a person's page as their latest contribution, the rest as the history."""
    dates = {path: (knowledge.as_of, 0)
             for path in ("index.md", "card.md", "licence.md", "releases/index.md", "contributors/index.md",
                          "contributors/health.md")}
    dates.update((f"releases/{r.slug}.md", (r.timestamp, r.utc_offset)) for r in knowledge.releases)
    dates.update((f"contributors/{p.slug}.md", (p.last_timestamp or knowledge.as_of, 0))
                 for p in knowledge.people.values() if p.listed)
    return dates


def _template_origin(error: Exception, template: str) -> str:
    """``file:line`` of the template frame that failed, so an override's author knows where to look."""
    traceback = error.__traceback__
    origin = template
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            origin = f"{filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return origin


def _newest(knowledge: Knowledge, sha: str) -> tuple[int, str]:
    return (-knowledge.commits[sha].committer.timestamp, sha)


def _release_named(releases: list[Release], tag: str | None) -> Release | None:
    return next((release for release in releases if release.tag == tag), None)
