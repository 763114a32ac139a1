"""The facts an overview page shows about a model, each with the file (and key) it came from.

Pure functions over file contents: the caller reads the blobs, these never touch git or the disk.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

from generator.analysis.models.architecture import (
    KV_CACHE_TOKENS,
    kv_cache_bytes,
    parameter_count,
    read_architecture,
    weight_memory,
)
from generator.model.errors import Finding
from generator.model.models import ConfigSize, approximate_count
from generator.model.provenance import Fact
from generator.sources.files.repofiles import parse_front_matter
from generator.text.untrusted import load_json

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LFS_POINTER = re.compile(rb"\Aversion https://git-lfs\.github\.com/spec/v1\n.*^size (\d{1,20})$",
                          re.MULTILINE | re.DOTALL)

#: config.json keys worth a line on the overview, with the names other styles (Llama's params.json) use.
CONFIG_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Architecture", ("architectures", "model_type")),
    ("Layers", ("num_hidden_layers", "n_layers", "n_layer")),
    ("Hidden size", ("hidden_size", "dim", "d_model", "n_embd")),
    ("Attention heads", ("num_attention_heads", "n_heads", "n_head")),
    ("Key/value heads", ("num_key_value_heads", "n_kv_heads")),
    ("Context length", ("max_position_embeddings", "max_seq_len", "n_positions", "seq_length")),
    ("Vocabulary", ("vocab_size",)),
    ("Weights dtype", ("torch_dtype", "dtype")),
)


def front_matter_block(text: str) -> str:
    """The YAML between a README's opening ``---`` lines (it starts on the file's line 2), or ""."""
    match = _FRONT_MATTER.match(text)
    return match.group(1) if match else ""


def front_matter(text: str, path: str, findings: list[Finding]) -> dict[str, Any]:
    """README front matter as a mapping; anything else is a finding and an empty mapping."""
    match = _FRONT_MATTER.match(text)
    return parse_front_matter(match.group(1), path, findings) if match else {}



def title_and_description(text: str) -> tuple[str, str]:
    """The first level-1 heading and the first prose paragraph about the project, as plain text.

    The description is the first paragraph of the README's introduction: before any heading, under
    the title, or under a heading that names an introduction ("Introduction", "Overview", "Summary" of
    a proposal, "介绍").
    A paragraph under another heading ("News", "GLM-4 开源模型和API", "Note of deprecation") is about
    something else. Within the introduction these are not prose about the project and are passed
    over: a language switch ("Read this in [English](README_EN.md)", "[ English | [中文](README_zh.md) ]"),
    a row of badges or links, a list item or a quotation (news items and GitHub's "[!NOTE]" alerts),
    a dated news line ("[2024/03] We released…"), an invitation ("Join our WeChat", "Follow our
    project: …"), a lead-in ending in "...", a table, and a line of fewer than three words. With none
    left, the description is empty.
    Markdown syntax is dropped, so the page shows words, not markup.
    """
    env: dict[str, Any] = {}
    tokens = markdown_blocks(_FRONT_MATTER.sub("", text, count=1), env)
    title, description = "", ""
    in_introduction, nested = True, 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            nested += 1
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            nested -= 1
        elif token.type == "heading_open":
            heading = inline_plain(parse_inline(tokens[index + 1], env))
            if token.tag == "h1" and not title:
                title, in_introduction = heading, True
            else:
                in_introduction = _INTRODUCTION.search(heading) is not None
        elif token.type == "paragraph_open" and not description and in_introduction and not nested:
            inline = parse_inline(tokens[index + 1], env)
            if _is_description(inline):
                description = inline_plain(inline)
    return title, description


#: Headings whose section introduces the project.
_INTRODUCTION = re.compile(r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:introduction|intro|overview|about|summary|abstract"
                           r"|what is\b.*|model (?:summary|description|introduction)"
                           r"|简介|介绍|概述|概览|模型介绍|项目介绍)\W*$",
                           re.IGNORECASE)
#: A language name or the words of a language switch.
_LANGUAGE_WORDS = re.compile(r"english|中文|简体|繁體|繁体|日本語|한국어|français|español|deutsch|русский|português"
                             r"|italiano|read (?:this|it) in|阅读|language|readme", re.IGNORECASE)
_OTHER_README = re.compile(r"(?:^|/)readme[\w.-]*\.(?:md|rst|txt)(?:#.*)?$", re.IGNORECASE)
_NEWS_LINE = re.compile(r"^\W*(?:\d{4}[-/.年]\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|news\b|update[sd]?\b|new\b\W|🔥|📢|🎉)",
                        re.IGNORECASE)
_INVITATION = re.compile(r"^\W*(?:join|follow|star|subscribe|check out|加入|关注|欢迎加入)\b", re.IGNORECASE)


def _is_description(inline: Token) -> bool:
    """Whether a paragraph is prose about the project (see :func:`title_and_description`)."""
    outside = [child for child in _outside_links(inline) if child.type == "text"]
    prose = " ".join(" ".join(child.content for child in outside).split())
    if not prose.strip(" ·|\\[]()"):
        return False  # a row of badges or links
    links = [child.attrGet("href") or "" for child in inline.children or [] if child.type == "link_open"]
    shown = inline_plain(inline)
    if any(_OTHER_README.search(str(href)) for href in links):
        return False  # a link to the README in another language
    if len(shown.split()) <= 8 and _LANGUAGE_WORDS.search(shown):
        return False
    if shown.startswith("[!") or _NEWS_LINE.match(shown) or _INVITATION.match(shown):
        return False
    if inline.content.rstrip(" \t\n*_").endswith(("...", "…")):
        return False  # a lead-in to a video or a demo ("Fine-tuning a large language model can be easy as...")
    if inline.content.lstrip().startswith("|"):
        return False  # a GitHub table, which CommonMark reads as a paragraph
    cjk = sum(1 for char in shown if "\u3400" <= char <= "\u9fff")
    return len(re.sub(r"https?://\S+", "", shown).split()) >= 3 or cjk >= 6


#: The most characters of one paragraph, heading or table cell whose inline Markdown is parsed:
#: markdown-it-py spends ~15 µs a character on hostile inline text (``![`` repeated: 38 s for a 1 MB
#: README line), and a title, a description or a table cell needs far fewer.
MAX_INLINE_PARSE = 10_000


def markdown_blocks(text: str, env: dict[str, Any], *extensions: str) -> list[Token]:
    """CommonMark block tokens of ``text`` (link references collected in ``env``); inline tokens keep
    their text and get children only from :func:`parse_inline`, for the few blocks a caller reads."""
    return _parser(extensions, inline=False).parse(text, env)


@cache
def _parser(extensions: tuple[str, ...] = (), inline: bool = True) -> MarkdownIt:
    """One CommonMark parser per configuration: building one costs more than parsing a short line,
    and a card reads thousands of them. markdown-it-py keeps no state between parses but ``env``."""
    from markdown_it import MarkdownIt  # only when a README is read: 25 ms of every plugin start otherwise

    parser = MarkdownIt("commonmark").enable(list(extensions))
    return parser if inline else parser.disable("inline")


def parse_inline(token: Token, env: dict[str, Any]) -> Token:
    """``token`` (an inline token of :func:`markdown_blocks`) with children parsed from its first
    :data:`MAX_INLINE_PARSE` characters, and an ellipsis after a cut (so that a cut cell is no number)."""
    from markdown_it.token import Token

    if not token.children:
        children = _parser().parseInline(token.content[:MAX_INLINE_PARSE], env)[0].children or []
        if len(token.content) > MAX_INLINE_PARSE:
            children.append(Token("text", "", 0, content="…"))
        token.children = children
    return token


def _outside_links(inline: Token) -> list[Token]:
    children, depth = [], 0
    for child in inline.children or []:
        depth += child.type == "link_open"
        depth -= child.type == "link_close"
        if depth == 0 and child.type != "image":
            children.append(child)
    return children


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees: link texts kept, images, markup and HTML dropped; list
    items and paragraphs joined with " · "."""
    tokens = _parser().parse(markdown)
    return " · ".join(text for token in tokens if token.type == "inline" and (text := inline_plain(token)))


def inline_plain(inline: Token) -> str:
    parts = [
        child.content if child.type in ("text", "code_inline") else " " if child.type in ("softbreak", "hardbreak")
        else ""
        for child in inline.children or []
    ]
    return " ".join("".join(parts).split())


def read_json_object(text: str, path: str, findings: list[Finding], skipped: str = "ignored"
                     ) -> dict[str, Any] | None:
    """A JSON file that must hold an object; anything else is one finding naming the file and line."""
    try:
        data = load_json(text)
    except json.JSONDecodeError as error:
        findings.append(Finding(f"not valid JSON ({error.msg}); {skipped}", f"{path}:{error.lineno}"))
        return None
    if not isinstance(data, dict):
        findings.append(Finding(f"not a JSON object; {skipped}", path))
        return None
    return data


def parse_config(text: str, path: str, findings: list[Finding]) -> dict[str, Any] | None:
    """``config.json`` as a mapping, or None after a finding."""
    return read_json_object(text, path, findings, "architecture facts skipped")


def config_facts(config: dict[str, Any], path: str) -> list[Fact]:
    facts: list[Fact] = []
    for label, keys in CONFIG_FIELDS:
        for key in keys:
            value = config.get(key)
            if value is None or isinstance(value, (dict, bool)):
                continue
            shown = ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
            facts.append(Fact(label, shown, f"{path} → {key}"))
            break
    return facts


def architecture_facts(
    config: dict[str, Any], path: str, exact_parameters: int | None, findings: list[Finding]
) -> tuple[list[Fact], list[Fact], int | None]:
    """The analytic parameter count (and experts) as model facts, what deploying the model needs, and
    the estimated total (None when the config's design is not one the count covers).

    Memory is computed from the exact count when the weights were read, else from the analytic one.
    """
    shape, reason = read_architecture(config)
    if shape is None:
        findings.append(Finding(f"no parameter estimate: {reason}", path, "info"))
        if exact_parameters is None:
            return [], [], None
        return [], [Fact(f"Weights at {name}", human_size(size), f"{exact_parameters:,} parameters")
                    for name, size in weight_memory(exact_parameters)], None
    count = parameter_count(shape)
    keys = ", ".join(dict.fromkeys(shape.keys[name] for name in ("hidden", "layers", "heads", "vocab")))
    facts = [Fact("Parameters (estimated from the config)", f"{count.total:,} ({approximate_count(count.total)})",
                  f"{path} → {keys}…")]
    if shape.is_mixture_of_experts:
        facts.append(Fact("Experts", f"{shape.experts} routed, {shape.experts_per_token} per token"
                          + (f", {shape.shared_experts} shared" if shape.shared_experts else ""),
                          f"{path} → {shape.keys.get('experts', '')}"))
        facts.append(Fact("Active parameters per token", f"{count.active:,} ({approximate_count(count.active)})",
                          f"{path}, {shape.experts_per_token} of {shape.experts} experts"))
    agree = exact_parameters is not None and abs(exact_parameters - count.total) <= 0.1 * count.total
    if exact_parameters is not None and not agree:
        facts.append(Fact("Weights and config disagree",
                          f"the weights hold {exact_parameters:,} parameters, the config describes {count.total:,}",
                          f"{path} and the safetensors headers"))
        findings.append(Finding(f"the weights hold {exact_parameters:,} parameters but the config describes "
                                f"{count.total:,}; deployment sizes use the config", path, "info", "error"))
    basis = exact_parameters if exact_parameters is not None and agree else count.total
    source = "parameters from the weights" if basis == exact_parameters else "estimated parameters"
    deployment = [Fact(f"Weights at {name}", human_size(size), f"{basis:,} {source}")
                  for name, size in weight_memory(basis)]
    cache_formula = f"2 × {shape.layers} layers × {shape.kv_heads} KV heads × {shape.head_dim} head dim × 2 bytes"
    if shape.is_latent_attention:  # DeepSeek's inference code caches the compressed key/value and the rotary key
        cache_formula = (f"{shape.layers} layers × ({shape.kv_lora_rank} kv_lora_rank + {shape.qk_rope_head_dim} "
                         "qk_rope_head_dim) × 2 bytes")
    deployment.append(Fact(f"Key/value cache per {KV_CACHE_TOKENS:,} tokens (16-bit)",
                           human_size(kv_cache_bytes(shape)), cache_formula))
    return facts, deployment, count.total


def config_sizes(configs: list[tuple[str, dict[str, Any]]]) -> list[ConfigSize]:
    """The analytic parameter count of every config (path, parsed JSON) whose design the count covers,
    one row per file: a repository with one config per model size gets one row per size."""
    sizes = []
    for path, config in configs:
        shape, _ = read_architecture(config)
        if shape is None:
            continue
        count = parameter_count(shape)
        experts = (f"{shape.experts} routed, {shape.experts_per_token} per token"
                   + (f", {shape.shared_experts} shared" if shape.shared_experts else "")
                   if shape.is_mixture_of_experts else "")
        keys = ", ".join(dict.fromkeys(shape.keys[name] for name in ("hidden", "layers", "heads", "vocab")))
        sizes.append(ConfigSize(path, count.total, count.active, shape.layers, shape.hidden, experts, keys))
    return sizes


def billions(count: int) -> str:
    """A parameter count for people: ``671.0 B``, ``124.4 M``."""
    return approximate_count(count)



#: The first line of every Git LFS pointer file.
LFS_VERSION_LINE = b"version https://git-lfs.github.com/spec/v1\n"
#: Larger than any file Git LFS stores (1 PiB): a pointer stating more is not believed.
MAX_LFS_SIZE = 1 << 50


def lfs_pointer_size(data: bytes) -> int | None:
    """The real size recorded in a Git LFS pointer file, or ``None`` if ``data`` is not one, or states a
    size no file has (a 5,000-digit size would not even convert to a number)."""
    match = _LFS_POINTER.match(data[:1024])
    if not match or len(match.group(1)) > 16:
        return None
    size = int(match.group(1))
    return size if size <= MAX_LFS_SIZE else None


def human_size(size: int) -> str:
    """A byte count for people. A header's or index's count beyond any file (a 4,000-digit
    ``total_size`` is valid JSON) is shown as that bound: it would not even convert to a float."""
    if size > MAX_LFS_SIZE:
        return f"more than {human_size(MAX_LFS_SIZE)}"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
