"""What GitHub would know about the demo: pull request states, labels, reviews, and a few discussions.

The demo ships this as the forge cache ``almanac sync`` would have written, so the demo site shows
PR titles, review statistics and a discussion digest without a network. It is derived from the
history as built (every PR's number, title, author and landing) plus a separate seeded generator for
reviews, so it never changes the history itself. The discussions are the story's: the proposal
behind the 8K context change, questions answered and open, and one post full of hostile markup.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.model.forge import Answer, DiscussionRecord, ForgeData, PullRequestRecord, Review

from ._history import PullRecord
from ._people import BY_KEY, PEOPLE

SOURCE = "github:lumen-ai/Lumen"
URL = "https://github.com/lumen-ai/Lumen"
_DAY = 86_400
_MAINTAINERS = tuple(person.key for person in PEOPLE if person.maintainer and not person.bot)
_LABELS = (
    (re.compile(r"^(feat|ENH|add\b|Add\b)", re.IGNORECASE), "enhancement"),
    (re.compile(r"^(fix|BUG|Fix\b)", re.IGNORECASE), "bug"),
    (re.compile(r"^(docs?\b|DOC|文档|添加.*页面)", re.IGNORECASE), "documentation"),
    (re.compile(r"^(deps|Bump|build\(deps\))", re.IGNORECASE), "dependencies"),
)


@dataclass(frozen=True)
class _Discussion:
    """``before`` is the title of the PR it precedes (its number is taken from the gap just before)."""

    before: str
    days_before: int
    title: str
    body: str
    author: str | None
    category: str
    upvotes: int = 0
    reactions: int = 0
    comments: int = 0
    answer: tuple[str, str] | None = None
    #: Titles of PRs whose description refers to this discussion.
    implemented_by: tuple[str, ...] = ()


DISCUSSIONS = (
    _Discussion("Extend the context window to 8K", 40, "Proposal: extend the context window to 8K tokens",
                "Most of our users feed **long documents** (contracts, papers). 4K forces chunking.\n\n"
                "Plan: continued pre-training with a larger RoPE base, then a needle-in-a-haystack test. "
                "Vote 👍 if you need it.", "zhaolei0", "Ideas", upvotes=23, reactions=9, comments=14,
                implemented_by=("Extend the context window to 8K",)),
    _Discussion("Extend the context window to 8K", 30, "提供 GGUF 量化版本（Provide GGUF quantised weights）",
                "希望官方提供 Q4_K_M 和 Q8_0 的 GGUF 文件，方便在 llama.cpp 中使用。\n\n"
                "Official GGUF files would let people run Lumen with llama.cpp.", "liuyang-nlp", "Ideas",
                upvotes=17, reactions=5, comments=6),
    _Discussion("Correct the GSM8K score in the model card", 5, "Why did the GSM8K score drop from 38.4 to 36.1?",
                "The model card changed but the weights did not. Which number is right?", "curious-dev", "Q&A",
                reactions=3, comments=2,
                answer=("zhangwei-ai", "36.1 is right: 38.4 was measured with 8-shot prompts, not the 4-shot "
                                       "setting the table states. See the model card's evaluation section.")),
    _Discussion("Extend the context window to 8K", 60, "How do I load Lumen with transformers?",
                "`AutoModel` gives me a warning about missing weights.", "newcomer-42", "Q&A", reactions=2,
                answer=("lina-nlp", "Use `AutoModelForCausalLM.from_pretrained(\"lumen-ai/Lumen-1.8B\")`: "
                                    "`AutoModel` loads the model without its language-modelling head.")),
    _Discussion("feat: add an OpenAI-compatible server example (draft)", 3,
                "Does Lumen run on Apple Silicon with MPS?", "Has anyone tried `device=\"mps\"`? fp16 or fp32?",
                "macuser", "Q&A", reactions=6, comments=1),
    _Discussion("feat: add an OpenAI-compatible server example (draft)", 10, "Faster tokenizer?",
                "<script>alert('pwned')</script>Our tokenizer is slow. ![](https://tracker.example/pixel.gif)\n\n"
                "[Benchmarks here](javascript:alert(document.cookie)) — write to me at spam@example.com "
                '<iframe src="https://evil.example"></iframe>', None, "Ideas", upvotes=2, reactions=1),
)


def _labels(title: str) -> tuple[str, ...]:
    return tuple(label for pattern, label in _LABELS if pattern.search(title))[:1]


def _reviews(pull: PullRecord, done: int, rng: random.Random) -> tuple[Review, ...]:
    """A maintainer other than the author reviews; a quarter of the time they ask for changes first."""
    reviewer = BY_KEY[rng.choice([key for key in _MAINTAINERS if key != pull.author])].login
    first = pull.created + int(rng.uniform(0.3, 30) * 3600)
    if first >= done:
        first = pull.created + max(60, (done - pull.created) // 2)
    reviews = []
    if rng.random() < 0.25 and first + 3600 < done:
        reviews.append(Review(reviewer, "CHANGES_REQUESTED", first))
        first = min(done - 60, first + int(rng.uniform(2, 48) * 3600))
    reviews.append(Review(reviewer, "APPROVED" if pull.landed else "COMMENTED", first))
    return tuple(reviews)


def demo_forge(pulls: list[PullRecord], sha_of: Callable[[int], str], seed: int) -> ForgeData:
    rng = random.Random(seed)
    end = max(pull.landed or pull.created for pull in pulls)
    by_title = {pull.title: pull for pull in pulls}
    used = {pull.number for pull in pulls}
    numbers: dict[str, int] = {}
    for discussion in DISCUSSIONS:
        anchor = by_title[discussion.before].number
        numbers[discussion.title] = max(n for n in range(1, anchor) if n not in used)
        used.add(numbers[discussion.title])
    mentions: dict[str, list[int]] = {}
    for discussion in DISCUSSIONS:
        for title in discussion.implemented_by:
            mentions.setdefault(title, []).append(numbers[discussion.title])
    records = []
    for pull in pulls:
        if pull.landed is not None:
            state, closed = "merged", pull.landed
        elif pull.created < end - 120 * _DAY:
            state, closed = "closed", pull.created + 10 * _DAY  # abandoned long ago
        else:
            state, closed = ("draft" if "(draft)" in pull.title else "open"), None
        done = closed or end
        records.append(PullRequestRecord(
            number=pull.number, title=pull.title, state=state, author=BY_KEY[pull.author].login,
            created_at=pull.created, updated_at=done, closed_at=closed, merged_at=pull.landed,
            merge_commit=sha_of(pull.mark) if pull.mark is not None else None, labels=_labels(pull.title),
            reviews=() if BY_KEY[pull.author].bot else _reviews(pull, done, rng),
            url=f"{URL}/pull/{pull.number}", mentions=tuple(sorted(mentions.get(pull.title, ()))),
        ))
    discussions = []
    for discussion in DISCUSSIONS:
        number = numbers[discussion.title]
        created = by_title[discussion.before].created - discussion.days_before * _DAY
        discussions.append(DiscussionRecord(
            number=number, title=discussion.title, body=discussion.body, author=discussion.author,
            category=discussion.category, created_at=created, updated_at=created + 3 * _DAY,
            upvotes=discussion.upvotes, reactions=discussion.reactions, comments=discussion.comments,
            answerable=discussion.category == "Q&A",
            answer=Answer(discussion.answer[0], discussion.answer[1], f"{URL}/discussions/{number}#answer")
            if discussion.answer else None,
            url=f"{URL}/discussions/{number}",
        ))
    return ForgeData(SOURCE, end, records, discussions)
