"""How one release-note entry is classified and written (issue 17, items 4–6).

Breaking changes need evidence, the type prefix that decided a section is not repeated in the entry,
upper-case type prefixes are one commit style, CHANGELOG.md escapes only what would change rendering,
and a placeholder co-author trailer names nobody. The titles are real ones, from huggingface/peft,
lm-sys/FastChat and hiyouga/LLaMA-Factory.
"""

from __future__ import annotations

import html
import random
import re

import pytest

from generator.analysis.history.classify import UPPERCASE, classify, era_styles, grammar_of, removal_of
from generator.export.changelog import changelog_from_repo
from generator.text.safetext import escape_markdown, plain_line
from tests.gitrepo import Repo

# --- breaking changes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "reason"),
    [
        ("feat(api)!: drop the v1 routes", "", "`!` in the type"),
        ("fix: handle empty prompts", "Details.\n\nBREAKING CHANGE: prompts are required", "BREAKING CHANGE footer"),
        ("fix: handle empty prompts", "Details.\n\nBREAKING-CHANGE: prompts are required", "BREAKING CHANGE footer"),
        ("[breaking] migrate from setuptools to uv", "", "tagged “breaking” in the title"),
        ("Remove the `foo` argument", "", "removes `foo` argument"),
        ("Remove the foo argument from generate()", "", "removes foo argument"),
        ("Drop support for Python 3.8", "", "drops support for Python 3.8"),
        ("Drop support for numpy 0.16", "", "drops support for numpy 0.16"),
        ("CHORE Drop Python 3.9, add 3.13", "", "drops support for Python 3.9"),
        ("Drop Python 3.8 support", "", "drops support for Python 3.8"),
        ("CHORE: Remove deprecated Bone method", "", "removes deprecated Bone method"),
        ("Remove deprecated Z", "", "removes deprecated Z"),
        ("Rename foo_bar to baz", "", "renames foo_bar to baz"),
        ("Rename chatserver.server -> chatserver.serve", "", "renames chatserver.server to chatserver.serve"),
        ("Removes the --legacy option", "", "removes --legacy option"),
    ],
)
def test_breaking_with_evidence(title: str, body: str, reason: str) -> None:
    assert classify(title, body).breaking == reason


@pytest.mark.parametrize(
    ("title", "body", "paths"),
    [
        # Words that used to be guessed from, on real histories: none of these breaks anyone.
        ("FIX Transformers warnings use return dict, missing inputs_embeds argument, fix causal_mask_creation_function"
         " call", "", []),
        ("FIX: DynamicCache key_cache attribute deprecation", "", []),
        ("FIX warmup_ratio deprecated, use warmup_steps", "", []),
        ("Create run_k8s.sh", "", []),
        ("Release 0.19.0", "Deprecations: the old loaders are deprecated.", []),
        ("Fully deprecate AutoGPTQ and AutoAWQ for GPT-QModel", "", []),
        ("FIX Migrate method comparison space to Gradio 6", "There was a breaking change in the API of Gradio 6.", []),
        ("chore: set pydantic<=2.0 since greater has breaking change", "", []),
        ("Change the default dtype from fp32 to bf16", "", []),
        # Removals of what only the project sees, and removals without a named object.
        ("Remove unused import", "", []),
        ("Remove unused Any import", "", []),
        ("Remove typo", "", []),
        ("remove print", "", []),
        ("Remove duplicate API endpoint", "", []),
        ("Remove the uesless _get_html_tags function", "", []),
        ("TST Remove unnecessary PREFIXES constant", "", []),
        ("CI: Remove bitsandbytes CI", "", []),
        ("DOC Rename max_seq_length argument", "", []),
        ("FIX Delete peft_config attribute after unloading", "", []),
        ("CHORE Remove deprecated Bone experiments", "", []),
        ("CHORE Remove ipex config since it was removed from accelerate", "", []),
        ("[misc] remove safe_serialization arg for transformers v5 compatibility", "", []),
        ("Rename inspect.py to inspect_data.py", "", []),
        ("Rename twitter to X", "", []),
        ("Delete demo.py to avoid wrong usage.", "", []),
        ("Remove Bard disclaimer", "", []),
        ('Revert "Remove exclude_unset parameter"', "", []),
        ("Remove the `foo` argument", "", ["tests/test_foo.py", "docs/foo.md"]),
        ("Tweak", "", ["MIGRATION.md"]),
    ],
)
def test_no_breaking_without_evidence(title: str, body: str, paths: list[str]) -> None:
    assert classify(title, body, paths).breaking is None


def test_the_removal_verb_must_start_the_subject() -> None:
    assert removal_of("Remove the `foo` argument") == "removes `foo` argument"
    assert removal_of("Docs: how to remove the `foo` argument") is None
    assert removal_of("Make it possible to drop support for Python 3.8") is None


# --- entry text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "summary", "component"),
    [
        ("FIX Reject duplicate adapter names early", "Reject duplicate adapter names early", None),
        ("ENH Add Super-Tuning", "Add Super-Tuning", None),
        ("DOC Fix GraloraConfig docstring", "Fix GraloraConfig docstring", None),
        ("FEAT: Add MiSS", "Add MiSS", None),
        ("fix(tokenizer): keep the EOS token", "keep the EOS token", "tokenizer"),
        ("[core] Fix the loader", "Fix the loader", "core"),
        # A type whose section is "Other" says more than the section: the title stays whole.
        ("TST Correctly resolve GLUE dataset", "TST Correctly resolve GLUE dataset", None),
        ("chore(deps): pin torch", "pin torch", "deps"),
        # No prefix decided anything: the title as written.
        ("Fix the loader", "Fix the loader", None),
        ("STY Remove unused local variables", "STY Remove unused local variables", None),
        ("🐛 Fix crash on CPU", "🐛 Fix crash on CPU", None),
    ],
)
def test_the_prefix_that_decided_the_section_is_dropped(title: str, summary: str, component: str | None) -> None:
    found = classify(title)
    assert (found.summary, found.component) == (summary, component)


# --- commit style ---------------------------------------------------------------------------------------


def test_uppercase_type_prefixes_are_one_style() -> None:
    assert grammar_of("FIX Reject duplicate adapter names early") == "uppercase prefix"
    assert grammar_of("FIX: handle None") == "uppercase prefix"
    assert grammar_of("fix: handle None") == "conventional"
    assert grammar_of("LLM support for X") == "plain"  # capitals that are not a known type prefix
    peft = ["FIX a", "ENH b", "DOC c", "TST d", "CHORE e", "Add f", "Update g"] * 10  # 71% prefixes
    assert set(era_styles(peft)) == {UPPERCASE}


# --- escaping -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Fix inputs_embeds in .github for 5.13", "Fix inputs_embeds in .github for 5.13"),
        ("Add Super-Tuning (Knowledge-aware)!", "Add Super-Tuning (Knowledge-aware)!"),
        ("snake_case and *stars* and _under_", "snake_case and \\*stars\\* and \\_under\\_"),
        ("__init__.py", "\\_\\_init\\_\\_.py"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("> not a quote", "&gt; not a quote"),
        ("a <b>c</b> & d &amp; e", "a &lt;b>c&lt;/b> & d &amp;amp; e"),
        ("![i](javascript:x) [l](u)", "!\\[i\\]\\(javascript:x) \\[l\\]\\(u)"),
        ("`code` a|b ~~s~~ $x$", "`code` a\\|b \\~\\~s\\~\\~ \\$x\\$"),
        ("see https://evil.example and www.evil.example", "see https\\://evil.example and www\\.evil.example"),
        ("title #", "title \\#"),
    ],
)
def test_escape_markdown_escapes_only_what_renders(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def test_escaped_text_renders_as_itself_wherever_it_stands() -> None:
    """Random strings of Markdown's special characters, in a list item, a paragraph, a heading, bold
    and a table cell: the rendered text is the text, and no element appears that the frame lacks."""
    from markdown_it import MarkdownIt

    assert escape_markdown("v5.13 (Knowledge-aware) a_b!") == "v5.13 (Knowledge-aware) a_b!"  # and stays readable
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    frames = ["- {} (#1) by x", "{}", "# {}", "- **{}:** y", "| h |\n|---|\n| {} |"]
    alphabet = [*"\\`*_{}[]()#+-.!|~$<>&=:;/ aZ1\"'", "www.", "http://", "&amp;", "&#65;", "1. ", "é", "---"]
    chance = random.Random(17)

    def shape(markup: str) -> str:  # inline code is the one element a title may bring: it is inert
        return re.sub(r">[^<]*<", "><", re.sub(r"</?code>", "", markup))

    def text(markup: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", markup))

    for _ in range(3000):
        raw = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 10)))
        if not plain_line(raw):
            continue
        for frame in frames:
            out, reference = md.render(frame.format(escape_markdown(raw))), md.render(frame.format("ZZZ"))
            assert shape(out) == shape(reference), (raw, frame, out)
            expected = text(reference).replace("ZZZ", plain_line(raw))
            shown = text(out)
            if "<code>" in out:  # a code span shows its text without its backticks and one space at each end
                shown, expected = re.sub("[` ]", "", shown), re.sub("[` ]", "", expected)
            assert shown == expected, (raw, frame, out)


# --- a whole changelog from a repository ----------------------------------------------------------------


def test_changelog_of_a_repository_with_peft_style_subjects(repo: Repo) -> None:
    repo.commit("Initial commit", {"README.md": "# x\n"})
    repo.tag("v0.1.0")
    repo.commit("FIX Reject duplicate adapter names early (#3559)", {"src/a.py": "a = 1\n"})
    repo.commit("FIX Transformers warnings use return dict, missing inputs_embeds argument (#3558)",
                {"src/b.py": "b = 1\n"})
    repo.commit("Create run_k8s.sh (#106)", {"run_k8s.sh": "echo\n"})
    repo.commit("CHORE: Remove deprecated Bone method (#3051)", {"src/c.py": "c = 1\n"})
    repo.commit("FIX Resolve ZeRO-3 partitioned shapes (#3576)\n\nBody.\n\nCo-authored-by: q <q@h>\n"
                "Co-authored-by: Benjamin Bossan <BenjaminBossan@users.noreply.github.com>\n",
                {"src/d.py": "d = 1\n"}, author="Quentin <45557362+qgallouedec@users.noreply.github.com>")
    repo.commit("TST Use distributed_config kwarg with transformers >= 5.13 (#3502)", {"tests/t.py": "t = 1\n"})
    repo.tag("v0.2.0")
    text = changelog_from_repo(repo.path, use_cache=False)
    release = text.split("## v0.2.0")[1].split("## v0.1.0")[0]
    assert "- **Breaking:** CHORE: Remove deprecated Bone method (#3051) by Alice Example — removes " \
           "deprecated Bone method\n" in release
    assert release.count(" — ") == 1  # the warning fix and run_k8s.sh are not breaking
    assert "- Reject duplicate adapter names early (#3559)" in release
    assert "- Transformers warnings use return dict, missing inputs_embeds argument (#3558)" in release
    assert "- Resolve ZeRO-3 partitioned shapes (#3576) by @qgallouedec with @BenjaminBossan\n" in release
    assert "- TST Use distributed_config kwarg with transformers >= 5.13 (#3502)" in release
    assert "\\." not in text and "\\_" not in text and "\\-" not in text
