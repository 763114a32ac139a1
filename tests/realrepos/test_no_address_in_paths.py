"""Issue 18 items 2-3 on the corpus: no address in any page path, file name or anchor, and nobody who
is a person hidden as automation.

The four corpus histories have no bot, no AI coding agent and no identity that is only a machine's:
their "Ubuntu <…>" (meta-llama) is a person who also commits under their own name. So every person
must stay a person, and the pages must hold no address of the history in any form a slug would give it.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildOptions, build_knowledge
from generator.cli.commands import main
from tests.realrepos.conftest import ABSENT, CORPUS

NAMES = ("THUDM+ChatGLM2-6B", "deepseek-ai+DeepSeek-V2", "meta-llama+llama", "mistralai+mistral-inference")

pytestmark = pytest.mark.skipif(not (CORPUS / "clone").is_file(), reason=ABSENT)


@pytest.fixture(scope="module", params=NAMES)
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           corpus_clone: Callable[[str], Path]) -> tuple[Path, Path]:
    repo = corpus_clone(request.param)
    pages = tmp_path_factory.mktemp(request.param.replace("+", "-")) / "pages"
    assert main(["write", str(pages), "--repo", str(repo), "--no-cache"]) == 0
    return repo, pages


def history_addresses(repo: Path) -> set[str]:
    out = subprocess.run(["git", "-C", str(repo), "log", "--format=%ae%n%ce%n%(trailers:key=Co-authored-by,valueonly)"],
                         check=True, capture_output=True, text=True).stdout
    return {m.casefold() for m in re.findall(r"[\w.+-]+@[\w.-]+", out) if "." in m.partition("@")[2]}


def test_no_address_in_a_page_path_file_name_or_anchor(corpus: tuple[Path, Path]) -> None:
    repo, pages = corpus
    forms = set()
    for address in history_addresses(repo):
        local, _, domain = address.partition("@")
        forms |= {address, f"{local}-{domain}", f"{local}-{domain}".replace(".", "-")}
    for path in pages.rglob("*"):
        relative = path.relative_to(pages).as_posix().casefold()
        assert "@" not in relative and not [form for form in forms if form in relative], relative
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").casefold()
            assert "e-mail hidden&#41;](" not in text, relative  # a person shown as "(e-mail hidden)"
            anchors = re.findall(r'\bid="([^"]*)"|\]\([^)#\s]*#([^)\s]*)\)', text)
            assert not [a for found in anchors for a in found if "@" in a or a in forms], relative


def test_every_person_of_these_histories_stays_a_person(corpus: tuple[Path, Path]) -> None:
    repo, _ = corpus
    people = build_knowledge(BuildOptions(repo=repo, use_cache=False)).people.values()
    assert {person.kind for person in people} == {"human"}
    assert all(not person.is_bot for person in people)
    ubuntu = [person for person in people if "Ubuntu" in person.aliases or person.name == "Ubuntu"]
    assert all(person.commits and person.name != "Ubuntu" for person in ubuntu)  # llama: ruanslv's machine name
