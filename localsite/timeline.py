"""The deterministic timeline of articles: the real one, its neighbours and the special cases."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from localsite import realdata as real
from localsite import words
from localsite.article import (
    ARTICLE,
    DELETED,
    MISSING,
    OFFSITE,
    PRIVATE,
    RELATED_ONLY,
    Article,
    BodyRecipe,
)

FIRST_ID = 587000
NEXT_ID = 587062  # "Read the next article" target of the real article: the listed one just older
OLDER_ORDINARY = 6  # generated articles before the real one, besides its five real related
# Roles placed, evenly spread, among the articles newer than the real one.
NEWER_ROLES = (
    "near_duplicate",
    "deleted",
    "no_date",
    "related_only",
    "gb2312",
    "flaky",
    "exact_duplicate",
    "offsite",
    "private",
    "missing",
)
MIN_ARTICLES = 1 + len(real.REAL_RELATED) + OLDER_ORDINARY + 1 + len(NEWER_ROLES) + 1
# A gb2312 body needs characters that only decode right with the declared charset.
GB2312_PARAGRAPH = (
    "Chen Jianhua, chairman of Zhejiang Hengyi Group (浙江恒逸集团), said: “The dyeing workshop "
    "keeps the water at 60℃, and the new line saves about 30% of energy.”"
)


@dataclass(frozen=True)
class Specials:
    """Ids of the special cases; the server and the tests look them up here."""

    real: int
    next_of_real: int
    related_of_real: tuple[int, ...]
    near_duplicate: int
    near_duplicate_of: int
    exact_duplicate: int
    exact_duplicate_of: int
    deleted: int
    no_date: int
    related_only: int
    gb2312: int
    flaky: int
    offsite: int
    private: int
    missing: int
    legacy: int  # reached through /news/show.asp?id=<legacy>


class Builder:
    """Creates articles from one seeded random stream, so a seed always gives the same site."""

    def __init__(self, seed: int, layouts: tuple[str, ...]) -> None:
        self.seed = seed
        self.layouts = layouts
        self.rng = random.Random(seed)
        self.titles: set[str] = set()

    def ordinary(self, article_id: int, published: datetime | None) -> Article:
        rng = self.rng
        return Article(
            id=article_id,
            title=self.unique_title(),
            published=published,
            keywords=words.keywords(rng),
            source=rng.choice(words.SOURCES) if rng.random() < 0.75 else None,
            category=rng.choice(words.CATEGORIES),
            views=int(rng.expovariate(1 / 25)),
            layout=rng.choice(self.layouts),
            recipe=BodyRecipe(seed=self.seed * 1_000_003 + article_id),
        )

    def unique_title(self) -> str:
        for _ in range(5):
            candidate = words.title(self.rng)
            if candidate not in self.titles:
                break
        else:
            candidate = f"{candidate} ({self.rng.choice(words.PLACES)})"
        self.titles.add(candidate)
        return candidate

    def old_layout(self) -> str:
        return "portal" if "portal" in self.layouts else self.layouts[0]

    def next_ids(self, start: int, count: int, max_gap: int) -> list[int]:
        ids, current = [], start
        for _ in range(count):
            ids.append(current)
            current += self.rng.randint(1, max_gap)
        return ids

    def next_times(self, start: datetime, count: int) -> list[datetime]:
        times, current = [], start
        for _ in range(count):
            current += timedelta(minutes=self.rng.randint(5, 45), seconds=0)
            times.append(current)
        return times


def build(n_articles: int, seed: int, layouts: tuple[str, ...]) -> tuple[list[Article], Specials]:
    if n_articles < MIN_ARTICLES:
        raise ValueError(f"the site needs at least {MIN_ARTICLES} articles, got {n_articles}")
    if not layouts:
        raise ValueError("at least one layout is needed")
    builder = Builder(seed, layouts)
    older, related_of_real = _older_block(builder)
    newer_count = n_articles - len(older) - 2
    newer, roles = _newer_block(builder, newer_count, older)
    articles = older + [_next_of_real(builder), _real(builder, related_of_real)] + newer
    specials = Specials(
        real=real.REAL_ID,
        next_of_real=NEXT_ID,
        related_of_real=tuple(related_of_real),
        legacy=real.REAL_ID,
        **roles,
    )
    link_articles(articles, builder.rng, specials)
    return articles, specials


def _older_block(builder: Builder) -> tuple[list[Article], list[int]]:
    """Articles before the real one: its five real related entries and a few generated ones."""
    rng = builder.rng
    start, end = datetime(2021, 8, 18, 8, 0), datetime(2021, 9, 6, 12, 0)
    span = int((end - start).total_seconds() // 60)
    slots: list[tuple[datetime, int]] = [
        (when, i) for i, (_, when, _) in enumerate(real.REAL_RELATED)
    ]
    slots += [(start + timedelta(minutes=rng.randrange(span)), -1) for _ in range(OLDER_ORDINARY)]
    slots.sort()
    ids = builder.next_ids(FIRST_ID, len(slots), max_gap=4)
    articles, related = [], [0] * len(real.REAL_RELATED)
    for article_id, (when, real_index) in zip(ids, slots, strict=True):
        article = builder.ordinary(article_id, when)
        if real_index >= 0:
            title, _, views = real.REAL_RELATED[real_index]
            article.title, article.views, article.category = title, views, real.REAL_CATEGORY
            related[real_index] = article_id
        articles.append(article)
    return articles, related


def _real(builder: Builder, related: list[int]) -> Article:
    return Article(
        id=real.REAL_ID,
        title=real.REAL_TITLE,
        published=real.REAL_PUBLISHED,
        keywords=list(real.REAL_KEYWORDS),
        source=real.REAL_SOURCE,
        category=real.REAL_CATEGORY,
        views=real.REAL_VIEWS,
        layout=builder.old_layout(),
        recipe=BodyRecipe(fixed=real.REAL_PARAGRAPHS),
        related=list(related),
    )


def _next_of_real(builder: Builder) -> Article:
    article = builder.ordinary(NEXT_ID, real.NEXT_PUBLISHED)
    article.title, article.category = real.NEXT_TITLE, real.REAL_CATEGORY
    article.recipe = BodyRecipe(fixed=real.NEXT_PARAGRAPHS)
    return article


def _newer_block(
    builder: Builder, count: int, older: list[Article]
) -> tuple[list[Article], dict[str, int]]:
    ids = builder.next_ids(real.REAL_ID + 2, count, max_gap=3)
    times = builder.next_times(real.REAL_PUBLISHED, count)
    articles = [builder.ordinary(i, t) for i, t in zip(ids, times, strict=True)]
    # Evenly spread, so that every role sits on a different list page in a larger site.
    step = count / (len(NEWER_ROLES) + 1)
    roles = {role: ids[round((k + 1) * step)] for k, role in enumerate(NEWER_ROLES)}
    by_id = {a.id: a for a in articles}
    originals = {"exact_duplicate": older[1], "near_duplicate": older[3]}
    for role, article_id in roles.items():
        _apply_role(builder, role, by_id[article_id], originals.get(role))
    roles["exact_duplicate_of"] = originals["exact_duplicate"].id
    roles["near_duplicate_of"] = originals["near_duplicate"].id
    return articles, roles


def _apply_role(builder: Builder, role: str, article: Article, original: Article | None) -> None:
    if original is not None:
        article.title, article.category = original.title, original.category
        article.keywords = list(original.keywords)
        article.duplicate_of = original.id
        article.recipe = BodyRecipe(copy_of=original, reword=role == "near_duplicate")
        article.source = original.source
        if role == "near_duplicate":
            others = [s for s in words.SOURCES if s != original.source]
            article.source = builder.rng.choice(others)
    elif role == "gb2312":
        article.encoding, article.layout = "gb2312", builder.old_layout()
        article.recipe = BodyRecipe(seed=article.recipe.seed, extra=(GB2312_PARAGRAPH,))
    elif role == "no_date":
        article.published = None
    else:
        article.kind = {
            "deleted": DELETED,
            "related_only": RELATED_ONLY,
            "offsite": OFFSITE,
            "private": PRIVATE,
            "missing": MISSING,
        }.get(role, ARTICLE)


def link_articles(articles: list[Article], rng: random.Random, specials: Specials) -> None:
    """Fill related and next links for every article that has a page and none yet."""
    by_id = {a.id: a for a in articles}
    content = [a.id for a in articles if a.kind == ARTICLE]
    by_category: dict[str, list[int]] = {}
    for article_id in content:
        by_category.setdefault(by_id[article_id].category, []).append(article_id)
    for article in articles:
        if article.has_page and not article.related:
            article.related = pick_related(
                article, content, by_category.get(article.category, []), rng
            )
        if article.has_page and article.next_id is None:
            position = bisect.bisect_left(content, article.id)
            article.next_id = content[position - 1] if position > 0 else None
    for hidden in (specials.related_only, specials.missing):
        _link_from_neighbour(by_id, content, hidden)


def pick_related(
    article: Article, content: list[int], same_category: list[int], rng: random.Random
) -> list[int]:
    """Five others, preferably older and of the same category, newest first."""
    chosen: list[int] = []
    pools = (
        lambda: _older(same_category, article.id),
        lambda: _older(content, article.id),
        lambda: content[:60],
    )
    for pool in pools:
        if len(chosen) >= 5:
            break
        spare = [i for i in pool() if i != article.id and i not in chosen]
        chosen += rng.sample(spare, min(5 - len(chosen), len(spare)))
    return sorted(chosen, reverse=True)


def _older(pool: list[int], article_id: int, window: int = 40) -> list[int]:
    end = bisect.bisect_left(pool, article_id)
    return pool[max(0, end - window) : end]


def _link_from_neighbour(by_id: dict[int, Article], content: list[int], hidden: int) -> None:
    """Put `hidden` into the related block of the nearest newer listed article (else older)."""
    position = bisect.bisect_right(content, hidden)
    referrer_id = content[position] if position < len(content) else content[position - 1]
    referrer = by_id[referrer_id]
    if referrer.id == real.REAL_ID:  # the real related block is fixed text; use the one before
        referrer = by_id[content[content.index(referrer_id) - 1]]
    # Keep hidden ids placed earlier; drop the oldest ordinary entry to make room.
    kept = [i for i in referrer.related if by_id[i].kind != ARTICLE]
    ordinary = [i for i in referrer.related if by_id[i].kind == ARTICLE]
    referrer.related = sorted(ordinary[: 4 - len(kept)] + kept + [hidden], reverse=True)
