"""A model repository built from hostile inputs, in every place a stranger can write, and its site.

Each payload tries to run ``window.__pwned = …`` or to change the page title to ``PWNED``; the
tests then look for any way it could have survived (an event attribute, a script, a ``javascript:``
or ``data:`` link, an iframe) in every file of the built site and its search index, and the browser
test opens the pages and checks that nothing ran.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.forgecache import Answer, DiscussionRecord, ForgeData, PullRequestRecord, Review, write_cache
from tests.gitrepo import Repo

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


def hostile_repo(path: Path) -> Repo:
    repo = Repo(path)
    front = ("---\nlicense: '<img src=x onerror=document.title=\"PWNED\">'\nmodel_name: '<script>window.__pwned=9"
             "</script>'\nbase_model: '../../../etc'\ntags: ['<script>x</script>']\n---\n")
    repo.commit("Initial commit", {
        "README.md": front + "# <script>document.title='PWNED'</script> Model\n\n" + "\n\n".join(PAYLOADS) + "\n",
        "LICENSE": "<script>window.__pwned='licence'</script>\nAll rights reserved.\n",
        "CITATION.cff": "cff-version: 1.2.0\nmessage: cite\ntitle: '<script>window.__pwned=10</script>'\n"
                        "authors:\n  - name: '<img src=x onerror=document.title=1>'\n",
        "CONTRIBUTING.md": "# Contributing\n\n" + "\n\n".join(PAYLOADS) + "\n",
        ".github/CODEOWNERS": "* @<script>owner</script> evil@example.com\n",
        "docs/guide.md": "# <img src=x onerror=\"window.__pwned='doc'\"> Guide\n\nSee [x](javascript:alert(1)).\n",
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


def site_config(repo: Repo, folder: Path) -> Path:
    """A site with every Markdown extension an attacker would hope for: raw HTML in Markdown,
    attribute lists, snippet includes reading from the repository."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "resources.yml").write_text(
        "- {title: '<script>window.__pwned=20</script>', link: 'javascript:window.__pwned=21', kind: course}\n"
        "- {title: ok, link: 'data:text/html,x', kind: '<b>x</b>', topics: ['<i>t</i>']}\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(
        f"site_name: Hostile\ndocs_dir: docs\ntheme:\n  name: material\n"
        f"plugins:\n  - search\n  - almanac:\n      repo: {repo.path}\n      import_docs: docs\n"
        f"markdown_extensions:\n  - attr_list\n  - md_in_html\n  - pymdownx.snippets:\n"
        f"      base_path: ['{repo.path}', '{repo.path}/.git']\n  - admonition\n  - pymdownx.details\n"
        "  - toc:\n      permalink: true\n", encoding="utf-8")
    return config
