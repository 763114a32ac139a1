"""A site that takes some page groups gets exactly those pages, the same as a full site's, for less work;
compiled templates are reused across builds but never stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.bccache import bc_magic

from generator.build import BuildOptions, build_knowledge
from generator.demo import resolve_repo
from generator.render.pages import environment, render_pages
from generator.render.sections import SECTIONS, needs_models, section_of


@pytest.fixture(scope="module")
def demo() -> Path:
    return resolve_repo("demo", Path.cwd())


def test_release_and_contributor_pages_need_no_model_description(demo: Path) -> None:
    full = build_knowledge(BuildOptions(repo=demo, use_cache=False))
    lean = build_knowledge(BuildOptions(repo=demo, use_cache=False, describe_models=False))
    assert full.forge and lean.forge and not lean.licence_files and full.licence_files  # the lean one read less
    wanted = ("releases", "contributors")
    assert not needs_models(wanted)
    everything = render_pages(full)
    some = render_pages(lean, sections=wanted)
    assert some == {path: text for path, text in everything.items() if section_of(path) in wanted}
    assert "contributors/health.md" in some and "releases/index.md" in some and "licence.md" not in some
    assert {section_of(path) for path in everything} == set(SECTIONS) - {"reference"}  # no mkdocstrings here


def test_compiled_templates_are_reused_and_never_stale(tmp_path: Path) -> None:
    def compiles(env: jinja2.Environment, name: str) -> tuple[str, int]:
        calls: list[str] = []
        compile_source = env.compile

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return compile_source(*args, **kwargs)

        env.compile = counted  # type: ignore[method-assign]  # counting the compilations Jinja does
        return env.get_template(name).render(name="x"), len(calls)

    (tmp_path / "tools.md.j2").write_text("first {{ name }}\n", encoding="utf-8")
    assert compiles(environment([tmp_path]), "tools.md.j2") == ("first x\n", 1)
    assert compiles(environment([tmp_path]), "tools.md.j2") == ("first x\n", 0)  # the next build compiles nothing
    (tmp_path / "tools.md.j2").write_text("second {{ name }}\n", encoding="utf-8")
    assert compiles(environment([tmp_path]), "tools.md.j2") == ("second x\n", 1)  # an edit is seen at once
    cache = environment([tmp_path]).bytecode_cache
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    for entry in Path(cache.directory).iterdir():  # damaged past the header: compiled again, not an error
        entry.write_bytes(bc_magic + b"\x80\x04\x95garbage")
    assert compiles(environment([tmp_path]), "tools.md.j2") == ("second x\n", 1)


def test_compiled_templates_are_never_read_from_a_folder_others_may_write() -> None:
    folder = Path(environment([]).bytecode_cache.directory)  # type: ignore[union-attr]
    folder.chmod(0o777)
    try:
        assert environment([]).bytecode_cache is None
    finally:
        folder.chmod(0o700)
    assert environment([]).bytecode_cache is not None


def test_one_navigation_for_the_site_and_for_write() -> None:
    """The site's ``nav_section`` and ``almanac write``'s snippet list the same pages the same way (the
    site used to leave out the other models, write the API reference)."""
    from generator.render.sections import navigation

    pages = {"index.md", "releases/index.md", "releases/v1.md", "models/b.md", "models/a.md", "reference/pkg.md",
             "contributors/index.md", "contributors/wei.md", "licence.md"}
    assert navigation(pages) == [
        {"Overview": "index.md"}, {"Releases": "releases/index.md"}, {"Contributors": "contributors/index.md"},
        {"Licences": "licence.md"}, {"Other models": ["models/a.md", "models/b.md"]},
        {"API reference": ["reference/pkg.md"]},
    ]
