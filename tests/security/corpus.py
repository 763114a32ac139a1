"""A model repository built from hostile inputs, in every place a stranger can write, and its site.

Each payload tries to run ``window.__pwned = …`` or to change the page title to ``PWNED``; the
tests then look for any way it could have survived (an event attribute, a script, a ``javascript:``
or ``data:`` link, an iframe) in every file of the built site and its search index, and the browser
test opens the pages and checks that nothing ran.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.model.forge import Answer, DiscussionRecord, ForgeData, PullRequestRecord, Review
from generator.sources.forges.cache import write_cache
from tests.gitrepo import Repo, git_env

#: Secrets a CI checkout leaves in .git/config: no file of the site may ever contain them.
SENTINELS = ("ghp_SENTINELextraheader000000000000", "ghp_SENTINELremote11111111111111111")

PAYLOADS = (
    '<script>window.__pwned="script"</script>',
    '<img src=x onerror="window.__pwned=\'img\'">',
    '"><svg/onload=document.title="PWNED">',
    "[click me](javascript:window.__pwned=1)",
    "![tracker](https://tracker.example/p.gif) ![x](data:text/html;base64,PHNjcmlwdD4=)",
    'Heading {: onclick="window.__pwned=2" }',
    '--8<-- ".git/config"',
    "{{ config }} {% include '.git/config' %} {{ 7*7 }}",
    '<iframe src="javascript:window.__pwned=3"></iframe>',
    "\u202eevil\u202c override and zero\u200bwidth",
    "<style>body{display:none}</style><a href='javascript:window.__pwned=5'>x</a>",
)
HOSTILE_NAMES = (
    '<script>document.title="PWNED"</script>', "../../etc/passwd", "javascript:alert(1)", "A" * 300, "😈",
    '"><img src=x onerror=document.title="PWNED">',
)
HOSTILE_TAG = """v9.9.9"><svg/onload=document.title='PWNED'>"""
#: Every syntax pymdownx.snippets reads (a marker of one or more dashes around ``8<``, a quoted path after
#: it; the marker alone opening and closing a block of paths; an indented marker; line ranges), each
#: aimed at ``.git/config`` (the site's snippet base path holds the repository and its ``.git``).
SNIPPETS = (
    '--8<-- ".git/config"', '-8<- "config"', "---8<--- 'x/../.git/config'", '    --8<-- "config"',
    '--8<-- "config:1:20"', "--8<--\n.git/config\n--8<--", "-8<-\nconfig\n-8<-",
)
#: The template syntax of mkdocs-macros and the attribute lists of Python-Markdown.
TEMPLATES = ("{{ config }}", "{% include 'config' %}", "{# x #}", '{: onclick="window.__pwned=30" }')
#: Front matter of an imported page: each key the theme prints (unescaped) or acts on.
FRONT_MATTER = (
    "---\ntitle: 'Front <b>matter</b> & \"quotes\" &lt;kept&gt;'\n"
    "status: 'x\" tabindex=1 autofocus onfocus=\"window.__pwned=40'\n"
    "subtitle: '<img src=x onerror=\"window.__pwned=41\">'\n"
    "description: '\"><img src=x onerror=\"window.__pwned=42\">'\n"
    "tags: ['<img src=x onerror=\"window.__pwned=43\">', 'plain']\n"
    "icon: '../../../../../../etc/passwd'\ntemplate: '../../../../../../etc/passwd'\n"
    "hide: ['<b>x</b>']\nsearch: {boost: 1000}\n---\n# Front matter page\n"
)
#: MultiMarkdown-style metadata, which MkDocs reads from the top of a page without ``---`` lines.
MULTIMARKDOWN_META = ("status: x\" tabindex=1 autofocus onfocus=\"window.__pwned=44\nsubtitle: <img src=x "
                      "onerror=window.__pwned=45>\n\n# Meta lines\n")
#: Files a browser runs as active content when the site's origin serves them.
ACTIVE_FILES = {
    "docs/evil.html": "<script>window.__pwned='html'</script>",
    "docs/evil.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=\'svg\'">'
                     "<script>window.__pwned='svg2'</script></svg>",
    "LICENSE.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned=\'licence svg\'</script></svg>',
    "LICENSE.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><script>window.__pwned="xhtml"</script></html>',
}
#: A Markdown file whose name no file system can hold (over 255 bytes).
LONG_NAME = "docs/" + "a" * 300 + ".md"
#: A one-pixel PNG: an image file is published as it is.
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360"
                      "00000000050001a5f645400000000049454e44ae426082")
#: A multi-line field in each place Almanac shows repository text verbatim in a code block.
CODE_PAYLOAD = "\n".join((*SNIPPETS, *TEMPLATES, "<img src=x onerror=\"window.__pwned=33\">"))


def hostile_repo(path: Path) -> Repo:
    repo = Repo(path)
    front = ("---\nlicense: '<img src=x onerror=document.title=\"PWNED\">'\nmodel_name: '<script>window.__pwned=9"
             "</script>'\nbase_model: '../../../etc'\ntags: ['<script>x</script>', '<img src=x onerror="
             "\"window.__pwned=46\">']\n---\n")
    bibtex = ("```bibtex\n@article{evil2023,\n  title = {Evil paper\n" + CODE_PAYLOAD + "\n},\n"
              "  eprint = {2307.09288},\n  archiveprefix = {arXiv},\n  year = {2023},\n}\n```\n")
    cff_title = "\n".join(f"  {line}" for line in ("<script>window.__pwned=10</script>", *CODE_PAYLOAD.split("\n")))
    workflow = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" + "".join(
        f"      - run: {command}\n" for command in ('--8<-- "pytest/../.git/config"', '-8<- "pytest/../config"',
                                                 'pytest {{ config }} {: onclick="window.__pwned=31" }',
                                                 'pytest <img src=x onerror="window.__pwned=32">'))
    repo.commit("Initial commit", {
        "README.md": front + "# <script>document.title='PWNED'</script> Model\n\n" + "\n\n".join(PAYLOADS)
                     + "\n\n" + "\n\n".join((*SNIPPETS, *TEMPLATES)) + "\n\nSee https://arxiv.org/abs/2307.09288.\n\n"
                     + bibtex,
        "LICENSE": "<script>window.__pwned='licence'</script>\nAll rights reserved.\n",
        "CITATION.cff": f"cff-version: 1.2.0\nmessage: cite\ntitle: |\n{cff_title}\n"
                        "authors:\n  - name: '<img src=x onerror=document.title=1>'\n",
        "CONTRIBUTING.md": "# Contributing\n\n" + "\n\n".join(PAYLOADS) + "\n",
        ".github/CODEOWNERS": "* @<script>owner</script> evil@example.com\n",
        ".github/workflows/ci.yml": workflow,
        "docs/guide.md": "# <img src=x onerror=\"window.__pwned='doc'\"> Guide\n\nSee [x](javascript:alert(1)).\n\n"
                         + "\n\n".join((*SNIPPETS, *TEMPLATES)) + "\n",
        "docs/front.md": FRONT_MATTER,
        "docs/meta.md": MULTIMARKDOWN_META,
        "docs/pixel.png": PIXEL,
        **ACTIVE_FILES,
        "evilpkg/__init__.py": '"""Package.\n\n' + CODE_PAYLOAD.replace("\\", "") + '\n"""\n',
        "notebooks/evil.ipynb": json.dumps({"cells": [{"cell_type": "markdown",
                                                       "source": ["# <script>window.__pwned='nb'</script>"]}]}),
        "examples/evil.py": '"""<script>window.__pwned=\'example\'</script>"""\n',
        "rfcs/0001-evil.md": "---\ntitle: '<svg onload=window.__pwned=11>'\nauthors: ['<b>x</b>']\nstatus: open\n"
                             "---\n# RFC\n",
        "config.json": json.dumps({"model_type": "<script>window.__pwned=12</script>", "num_hidden_layers": 2}),
    }, author=f"{HOSTILE_NAMES[0]} <one@example.com>")
    for number, (payload, name) in enumerate(zip(PAYLOADS, HOSTILE_NAMES * 2, strict=False), start=1):
        repo.commit(f"{payload} (#{number})\n\n{payload}\n\nCo-authored-by: {name} <co{number}@example.com>",
                    {f"src/f{number}.py": f"x = {number}\n"}, author=f"{name or 'x'} <a{number}@example.com>")
    repo.tag("v1.0.0", "\n\n".join(PAYLOADS))
    repo.commit("feat: after the release", {"src/late.py": "y = 1\n"}, author="Plain Person <p@example.com>")
    repo.tag(HOSTILE_TAG)
    (repo.path / "escape.md").symlink_to("../../../../../etc/passwd")
    repo.commit("A symlink out of the repository", {})
    _commit_without_work_tree(repo, LONG_NAME, b"# Too long a name\n")
    repo.git("config", "http.extraheader", f"AUTHORIZATION: basic {SENTINELS[0]}")
    repo.git("remote", "add", "origin", f"https://x-access-token:{SENTINELS[1]}@github.com/o/r.git")
    write_cache(repo.path / ".almanac" / "forge", ForgeData("github:o/r", 1_700_000_000, pulls=[
        PullRequestRecord(number, payload, "merged" if number % 2 else "closed", HOSTILE_NAMES[number % 6][:40],
                          1_700_000_000, 1_700_100_000, labels=("<script>l</script>",),
                          reviews=(Review("<img src=x onerror=alert(1)>", "APPROVED", 1_700_050_000),),
                          url="javascript:window.__pwned=13")
        for number, payload in enumerate(PAYLOADS, start=1)
    ], discussions=[
        DiscussionRecord(100 + number, payload, "\n\n".join(PAYLOADS), HOSTILE_NAMES[number % 6], "Ideas",
                         1_700_000_000, 1_700_000_000, upvotes=number, url="javascript:window.__pwned=14")
        for number, payload in enumerate(PAYLOADS)
    ] + [DiscussionRecord(200, "Q?", "?", None, "Q&A", 1_700_000_000, 1_700_000_000, answerable=True,
                          answer=Answer("<b>x</b>", "\n\n".join(PAYLOADS), "javascript:window.__pwned=15"))]))
    return repo


def _commit_without_work_tree(repo: Repo, path: str, content: bytes) -> None:
    """Commit a file that the work tree cannot hold (a name too long for the file system): git stores
    any name, so a stranger's repository can carry one."""
    blob = repo.git("hash-object", "-w", "--stdin", input=content)
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}")
    repo.git("commit", "-q", "--no-verify", "-m", "A file name too long for any disk",
             env=git_env(GIT_AUTHOR_NAME="Long", GIT_AUTHOR_EMAIL="l@example.com", GIT_AUTHOR_DATE="1700900000 +0000",
                         GIT_COMMITTER_NAME="Long", GIT_COMMITTER_EMAIL="l@example.com",
                         GIT_COMMITTER_DATE="1700900000 +0000"))


def site_config(repo: Repo, folder: Path) -> Path:
    """A site with every plugin and Markdown extension a real mkdocs-material site uses, which an
    attacker would hope for: tags, blog, search, mkdocstrings, raw HTML in Markdown, attribute lists,
    snippet includes reading from the repository and its ``.git``."""
    docs = folder / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "blog" / "posts" / "hello.md").write_text("---\ndate: 2024-01-01\n---\n# Hello\n\nA post.\n",
                                                      encoding="utf-8")
    (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    (docs / "resources.yml").write_text(
        "- {title: '<script>window.__pwned=20</script>', link: 'javascript:window.__pwned=21', kind: course}\n"
        "- {title: ok, link: 'data:text/html,x', kind: '<b>x</b>', topics: ['<i>t</i>']}\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(
        f"site_name: Hostile\ndocs_dir: docs\ntheme:\n  name: material\n"
        f"plugins:\n  - search\n  - tags\n  - blog\n"
        f"  - almanac:\n      repo: {repo.path}\n      import_docs: docs\n  - mkdocstrings\n"
        f"markdown_extensions:\n  - attr_list\n  - md_in_html\n  - pymdownx.snippets:\n"
        f"      base_path: ['{repo.path}', '{repo.path}/.git']\n  - admonition\n  - pymdownx.details\n"
        "  - pymdownx.highlight\n  - pymdownx.superfences\n  - toc:\n      permalink: true\n", encoding="utf-8")
    return config
