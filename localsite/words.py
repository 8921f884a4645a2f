"""Word pools and a small template grammar for machine-translated-sounding textile news."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import TypeAlias


def _pool(text: str) -> tuple[str, ...]:
    """A comma-separated word pool: compact to read, and immune to the formatter."""
    return tuple(" ".join(item.split()) for item in text.split(",") if item.strip())


PLACES = _pool("""
    Xinjiang, Aksu, Korla, Urumqi, Shandong, Zaozhuang, Binzhou, Weifang, Zhejiang, Keqiao,
    Shaoxing, Haining, Tongxiang, Ningbo, Yiwu, Jiangsu, Nantong, Wujiang, Changshu, Suzhou,
    Wuxi, Changzhou, Fujian, Jinjiang, Shishi, Putian, Xiamen, Guangdong, Humen, Zengcheng,
    Foshan, Shantou, Henan, Zhoukou, Zhengzhou, Hubei, Qianjiang, Xiantao, Jiangxi, Yudu,
    Gongqingcheng, Hebei, Gaoyang, Qinghe, Anhui, Huaibei, Sichuan, Nanchong, Liaoning,
    Xingcheng, Inner Mongolia, Ordos, Guangxi, Yulin, Hunan, Zhuzhou, Ningxia, Yinchuan,
    Chongqing, Dalian
""")
MATERIALS = _pool("""
    cotton, polyester, viscose, nylon, spandex, wool, cashmere, silk, linen, lyocell, recycled
    polyester, polyester staple fiber, cotton yarn, blended yarn, acrylic, down, ramie, bamboo
    fiber, modal, aramid
""")
PRODUCTS = _pool("""
    grey fabric, home textiles, knitwear, denim, down jackets, sportswear, footwear, socks,
    underwear, school uniforms, workwear, children's clothing, bedding, towels, shirts, suits,
    hosiery, outdoor clothing, casual wear, women's wear, printed fabric, non-woven fabric,
    technical textiles, medical protective clothing
""")
ACTORS = _pool("""
    textile enterprises, garment factories, printing and dyeing enterprises, spinning mills, the
    Industrial Park, the Development Zone, the municipal government, the Bureau of industry and
    information technology, the China Textile Industry Federation, the China Cotton Textile
    Association, the county party committee, leading enterprises, small and medium-sized
    enterprises, cross-border e-commerce sellers, brand owners, foreign trade companies, the
    industrial association, the local chamber of commerce, the Commerce Bureau, the people's
    Government of the autonomous region, cooperatives, the professional market, exporters, the
    textile and garment industry college
""")
ADJECTIVES = _pool("""
    high-quality, intelligent, green, digital, modern, characteristic, advantageous, key,
    leading, traditional, emerging, sustainable, low-carbon, high-end, comprehensive,
    standardized, regional, large-scale, innovative, stable
""")
TOPICS = _pool("""
    industrial upgrading, digital transformation, brand building, talent training, energy saving
    and emission reduction, industrial chain extension, export orders, cotton purchase, market
    expansion, technological innovation, capacity layout, investment promotion, supply chain
    collaboration, intelligent manufacturing, quality inspection, raw material prices,
    employment of rural labor, industrial clusters, integration of production and education,
    live streaming e-commerce, textile exports, cost control, environmental protection
    rectification, pattern design
""")
VERBS_PAST = _pool("""
    increased, decreased, rose, fell, grew, declined, rebounded, stabilized, climbed, dropped
""")
VERBS_PRESENT = _pool("""
    promote, accelerate, strengthen, optimize, expand, support, guide, improve, consolidate,
    cultivate, deepen, build
""")
MONTHS = _pool("""
    January, February, March, April, May, June, July, August, September, October, November,
    December
""")
PEOPLE = _pool("""
    Wang, Li, Zhang, Liu, Chen, Yang, Zhao, Huang, Zhou, Wu, Xu, Sun, Ma, Zhu, Hu, Guo, He, Lin,
    Luo, Gao
""")
ROLES = _pool("""
    general manager, chairman, deputy director, secretary, head, chief engineer
""")
COMPANY_WORDS = _pool("""
    Hengli, Shenghong, Weiqiao, Huafu, Luthai, Youngor, Bosideng, Anta, Xtep, Texhong, Sunrise,
    Jiangnan, Tianhong, Hengyuan, Xinye, Fuda, Dongfang, Jinlun, Yinlong, Kaixin, Mingyang,
    Ruyi, Lanyan, Haixin
""")
COMPANY_SUFFIX = (
    "Textile Co., Ltd.",
    "Garment Co., Ltd.",
    "Group",
    "Printing and Dyeing Co., Ltd.",
    "Fiber Technology Co., Ltd.",
    "Knitting Co., Ltd.",
    "Home Textile Co., Ltd.",
)

# Sentence templates. Few long fixed runs, so two generated bodies share few word shingles.
SENTENCES = (
    "Recently, {actor} in {place} held a meeting on {topic}.",
    "The {adj} {product} industry of {place} {past} by {pct} percent year on year.",
    "From {month} to {month2}, the output of {material} reached {num} ten thousand tons.",
    "It is understood that {actor} will further {verb} {topic} and {verb2} the {adj} "
    "development of "
    "{product}.",
    "{Person}, {role} of {company}, told the reporter that orders are full until {month}.",
    "The market is {mood}.",
    "Prices of {material} {past} slightly.",
    "At present, there are {int} enterprises registered in the park, including {small} enterprises "
    "above the designated size.",
    "With an annual output value of more than {small} billion yuan, {place} has become an "
    "important "
    "base of {product} in China.",
    "In the next step, {actor} will adhere to the guidance of {topic}, {verb} the {adj} industrial "
    "chain, and make new contributions to {topic2}.",
    "According to statistics, the export value of {product} in the first {n} months was {num} "
    "million US dollars.",
    "This is also the {ordinal} time that {company} has participated in the exhibition.",
    "{company} invested {small} billion yuan to build {int} {adj} production lines.",
    "After the project is put into operation, it will add {int} jobs and realize an annual output "
    "value of {small} billion yuan.",
    "The reporter saw in the workshop that workers were busy with {product} orders for {market}.",
    "Insiders believe that demand for {material} will remain {mood} in the short term.",
    "On {month} {day}, the {adj} {product} festival opened in {place}.",
    "More than {int} buyers from {market} attended the event.",
    "Affected by {topic}, the operating rate of {actor} {past} to {pct} percent.",
    "How to {verb} {topic}?",
    "{place} has always regarded {topic} as the key to {verb} the {product} industry.",
    "Enterprises said that the cost of {material} accounts for {pct} percent of the total cost.",
    "The meeting pointed out that it is necessary to {verb} {topic}, {verb2} {topic2} and build a "
    "{adj} modern industrial system.",
    "Last year, the turnover of the {place} {product} market exceeded {small} billion yuan.",
    "The new standard will be implemented from {month} 1.",
    "Both sides exchanged views on {topic} and {topic2}.",
    "{Person} said that the company will {verb} cooperation with {actor}.",
    "The {adj} workshop uses {int} intelligent looms, and labor efficiency {past} by {pct} "
    "percent.",
    "Up to now, {int} tons of {material} have been purchased.",
    "The average price of {material} in {place} was {price} yuan per ton, {past} {small} yuan from "
    "last week.",
    "Downstream weaving mills {mood2} and purchased on demand.",
    "It is reported that the exhibition area is {int} square meters.",
)
MOODS = _pool("""
    stable, weak, active, cautious, generally flat, better than expected
""")
MOODS2 = _pool("""
    remained cautious, restocked moderately, waited and saw, reduced inventory
""")
MARKETS = _pool("""
    Europe, the United States, Southeast Asia, Africa, the Middle East, Russia, Japan and South
    Korea, Latin America, Central Asia, domestic e-commerce platforms
""")
ORDINALS = _pool("""
    second, third, fourth, fifth, sixth, eighth, tenth
""")

TITLES = (
    "{Place}: {topic} Of {product} Industry Achieved Remarkable Results",
    "{Place} {product} Industry Ushers In New Opportunities Of {topic}",
    'Local Hot Spot: {place} {product} Industry "{word}" To {verb} {topic}',
    "Market Analysis: {material} Prices {past} In {month}",
    "{company} Invests {small} Billion Yuan In {adj} {product} Project In {place}",
    "{place} Held A Forum On {topic} Of Textile And Garment Industry",
    "The {ordinal} {place} {product} Fair Opened",
    "{Person} {role} Of {company}: We Will {verb} {topic}",
    "Exports Of {product} From {place} {past} In The First {n} Months",
    "{place} Promotes {topic} And {topic2} Of Textile Enterprises",
    "How Can {product} Enterprises {verb} {topic}?",
    "{material} Market Is {mood} And Downstream Orders Are Insufficient",
    "{place} Textile Industrial City On The List Of {adj} Demonstration Parks",
    "Investigation On {topic} Of {product} Industry In {place}",
    "{place}: {small} Billion Yuan {product} Industrial Park Project Signed",
)
TITLE_WORDS = _pool("""
    Group, Cluster, Alliance, Chain, Base, Brand
""")

SOURCES = _pool("""
    Aksu daily, China Textile News, Textile Herald, Global Textile Network, China Garment
    Network, Economic Daily, Xinhua News Agency, Fashion Weekly, China Cotton Network, Zhejiang
    Daily, Dazhong Daily, World Clothes Shoes & Hats Net
""")
CATEGORIES = _pool("""
    Local hotspot, Industry news, Market analysis, Enterprise news, Policy and regulations,
    Fashion trends, Exhibition news, International news
""")
# Tags never contain commas: pages also list them comma-separated in <meta name="keywords">.
KEYWORD_PATTERNS = (
    "{place} Textile Industry",
    "{material} Price",
    "{product}",
    "{topic}",
    "{place} Textile Industrial City",
    "{place} {product}",
    "Textile And Garment Industry",
    "{place} Industrial Park",
    "{material} Market",
)


Random01: TypeAlias = Callable[[], float]  # rng.random
Slot: TypeAlias = tuple[str, ...] | Callable[[Random01], str]


def _pick(pool: tuple[str, ...], r: Random01) -> str:
    # r() indexing is several times faster than rng.choice, which matters at 50,000 articles.
    return pool[int(r() * len(pool))]


def _number(low: int, high: int) -> Callable[[Random01], str]:
    return lambda r: str(low + int(r() * (high - low + 1)))


def _decimal(high: int, decimals: int) -> Callable[[Random01], str]:
    scale = 10**decimals
    return lambda r: f"{1 + int(r() * high)}.{int(r() * scale)}"


def _person(r: Random01) -> str:
    return f"{_pick(PEOPLE, r)} {_pick(PEOPLE, r)}{_pick(('ming', 'hua', 'jun'), r)}"


def _company(r: Random01) -> str:
    return f"{_pick(PLACES, r)} {_pick(COMPANY_WORDS, r)} {_pick(COMPANY_SUFFIX, r)}"


_SLOTS: dict[str, Slot] = {
    "place": PLACES,
    "material": MATERIALS,
    "product": PRODUCTS,
    "actor": ACTORS,
    "adj": ADJECTIVES,
    "topic": TOPICS,
    "topic2": TOPICS,
    "past": VERBS_PAST,
    "verb": VERBS_PRESENT,
    "verb2": VERBS_PRESENT,
    "month": MONTHS,
    "month2": MONTHS,
    "role": ROLES,
    "mood": MOODS,
    "mood2": MOODS2,
    "market": MARKETS,
    "ordinal": ORDINALS,
    "word": TITLE_WORDS,
    "day": _number(1, 28),
    "pct": _decimal(60, 1),
    "num": _decimal(999, 2),
    "int": _number(12, 3000),
    "small": _number(2, 95),
    "price": _number(7000, 23000),
    "n": _number(2, 11),
    "person": _person,
    "company": _company,
}

# A compiled template: literal strings, and (slot, capitalise) pairs in between.
Compiled: TypeAlias = tuple[str | tuple[Slot, bool], ...]


def _compile(template: str) -> Compiled:
    parts: list[str | tuple[Slot, bool]] = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2 == 0:
            parts.append(piece)
        else:
            parts.append((_SLOTS[piece.lower()], piece[:1].isupper()))
    return tuple(parts)


def _fill(parts: Compiled, r: Random01) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        slot, capitalise = part
        value = _pick(slot, r) if isinstance(slot, tuple) else slot(r)
        out.append(value[:1].upper() + value[1:] if capitalise else value)
    return "".join(out)


_SENTENCES = tuple(_compile(t) for t in SENTENCES)
_TITLES = tuple(_compile(t) for t in TITLES)
_KEYWORDS = tuple(_compile(t) for t in KEYWORD_PATTERNS)


def sentence(rng: random.Random) -> str:
    r = rng.random
    return _fill(_SENTENCES[int(r() * len(_SENTENCES))], r)


def paragraphs(rng: random.Random) -> list[str]:
    """3-8 paragraphs of 1-6 sentences each; one-sentence paragraphs keep lengths uneven."""
    r = rng.random
    out = []
    for _ in range(3 + int(r() * 6)):
        # Distinct templates within a paragraph: a repeated opening reads like a bug.
        picks = dict.fromkeys(int(r() * len(_SENTENCES)) for _ in range(1 + int(r() * 6)))
        out.append(" ".join(_fill(_SENTENCES[i], r) for i in picks))
    return out


def title(rng: random.Random) -> str:
    # str.title() gives the real site's flavour, apostrophes included ("Bin'S", "Children'S").
    r = rng.random
    return _fill(_TITLES[int(r() * len(_TITLES))], r).title()


def keywords(rng: random.Random) -> list[str]:
    r = rng.random
    picked: list[str] = []
    for _ in range(1 + int(r() * 3)):
        tag = _fill(_KEYWORDS[int(r() * len(_KEYWORDS))], r).title()
        if tag not in picked:
            picked.append(tag)
    return picked
