"""The "redesign" layout: HTML5 landmarks, <time datetime>, OpenGraph and JSON-LD metadata."""

# HTML templates: their lines are markup, and rewrapping them would change the bytes served.
# ruff: noqa: E501

from __future__ import annotations

import json
from html import escape

from localsite import filler
from localsite.article import Article, iso_time
from localsite.links import SiteUrls, article_path, image_url, list_path, varied_href
from localsite.model import SiteModel
from localsite.realdata import REAL_ID

NAME = "redesign"


def _t(text: str) -> str:
    """Escape for a text node; old CMSes leave quotes and apostrophes as they are."""
    return escape(text, quote=False)


def _meta_tags(article: Article, urls: SiteUrls) -> str:
    canonical = urls.article(article.id)
    tags = [
        f'<link rel="canonical" href="{canonical}">',
        f'<meta property="og:site_name" content="{escape(filler.SITE_NAME)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta property="og:url" content="{canonical}">',
        f'<meta property="og:description" content="{escape(article.teaser[:150])}">',
        f'<meta property="og:image" content="{_image(article)}">',
        f'<meta property="article:section" content="{escape(article.category)}">',
    ]
    if article.published:
        tags.append(
            f'<meta property="article:published_time" content="{iso_time(article.published)}">'
        )
    tags += [f'<meta property="article:tag" content="{escape(k)}">' for k in article.keywords]
    return "\n".join(tags)


def _image(article: Article) -> str:
    day = article.published.strftime("%Y/%m/%d") if article.published else "2021/01/01"
    return image_url(article.id, 1, day)


def _json_ld(article: Article, urls: SiteUrls) -> str:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": urls.article(article.id)},
        "headline": article.title,
        "image": [_image(article)],
        "articleSection": article.category,
        "keywords": ", ".join(article.keywords),
        "author": {"@type": "Organization", "name": article.source or filler.SITE_NAME},
        "publisher": {
            "@type": "Organization",
            "name": filler.SITE_NAME,
            "logo": {"@type": "ImageObject", "url": "http://img1.sjfzxm.com/images/logo_en.png"},
        },
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/ReadAction",
            "userInteractionCount": article.views,
        },
    }
    if article.published:
        data["datePublished"] = data["dateModified"] = iso_time(article.published)
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _head(title: str, description: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_t(title)} | {_t(filler.SITE_NAME)}</title>
<meta name="description" content="{escape(description)}">
{extra}
<link rel="stylesheet" href="/static/css/app.8f3e2c.css">
<link rel="alternate" type="application/rss+xml" title="News" href="{filler.PORTAL}/rss/news.xml">
<style>
{filler.REDESIGN_CSS}
</style>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-SJFZ2021"></script>
</head>"""


def _header() -> str:
    nav = "".join(
        f'<li class="nav-item"><a href="{href}">{_t(label)}</a></li>'
        for label, href in filler.TOP_NAV
    )
    return f"""
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="topbar"><a href="{filler.PORTAL}/member/login.asp">Sign in</a><a href="{filler.PORTAL}/member/reg.asp">Join free</a><a href="{filler.PORTAL}/" lang="zh">{filler.SITE_NAME_ZH}</a></div>
<a class="brand" href="/"><img src="http://img1.sjfzxm.com/images/logo_en.svg" alt="{escape(filler.SITE_NAME)}" width="220" height="48"></a>
<nav class="main-nav" aria-label="Main"><ul>{nav}</ul></nav>
<form class="search" role="search" action="{filler.PORTAL}/search/"><input type="search" name="kw" placeholder="Search news, products, companies"><button type="submit">Search</button></form>
</header>
<div class="mega-menu" hidden>{filler.menu_html("mega-list")}</div>
{filler.ad_html(0, "ad ad-leaderboard")}"""


def _card_list(title: str, articles: list[Article], urls: SiteUrls, salt: int, tag: str) -> str:
    items = "".join(
        f'<li><a href="{varied_href(urls, a.id, salt)}">{_t(a.title)}</a></li>' for a in articles
    )
    return f'<section class="widget"><h2 class="widget-title">{title}</h2><{tag} class="widget-list">{items}</{tag}></section>'


def link_widget(title: str, items: list[tuple[str, str]]) -> str:
    links = "".join(f'<li><a href="{href}">{_t(label)}</a></li>' for label, href in items)
    return f'<section class="widget"><h2 class="widget-title">{_t(title)}</h2><ul class="widget-list">{links}</ul></section>'


def _page_href(page: int) -> str:
    # The redesign spells the first page index.html; the old portal links the bare folder.
    return "/global/en/index.html" if page == 1 else list_path(page)


def _sidebar(model: SiteModel, urls: SiteUrls, page_id: int, extra: str = "") -> str:
    return f"""<aside class="sidebar">
{_card_list("Hot news", model.hot(), urls, 3, "ol")}
{extra}
{filler.ad_html(1, "ad ad-mpu")}
{_card_list("Recommended", model.recommended(page_id), urls, 4, "ul")}
<section class="widget newsletter"><h2 class="widget-title">Newsletter</h2><p>Get the week's textile and apparel news in your inbox.</p>
<form action="{filler.PORTAL}/newsletter/subscribe" method="post"><input type="email" name="email" placeholder="Your email"><button>Subscribe</button></form></section>
<section class="widget"><h2 class="widget-title">Member shops</h2>{filler.shops_html()}</section>
</aside>"""


def _footer() -> str:
    return f"""
<footer class="site-footer">
<div class="footer-cols">{filler.footer_groups_html()}</div>
<div class="friend-links"><h4>Links</h4>{filler.link_list(filler.FRIEND_LINKS, " ")}</div>
<p class="legal">&copy; 2004-2023 {_t(filler.SITE_NAME)}. All rights reserved. <a href="http://www.miibeian.gov.cn/">ICP No. 05012345</a></p>
</footer>
<script>{filler.ANALYTICS_JS}</script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date()); gtag('config', 'G-SJFZ2021');</script>
</body>
</html>"""


def _body(model: SiteModel, article: Article) -> str:
    blocks = [f"<p>{_t(p)}</p>" for p in article.paragraphs]
    if article.id % 2 == 0:
        figure = f'<figure class="post-image"><img src="{_image(article)}" alt="" loading="lazy" width="640" height="427"></figure>'
        blocks.insert(1, figure)
    if article.id % 3 == 0 and len(blocks) > 3 and article.related:
        other = model.articles[article.related[0]]
        aside = f'<aside class="inline-related"><strong>Also read:</strong> <a href="{article_path(other.id)}">{_t(other.title)}</a></aside>'
        blocks.insert(3, aside)
    return "\n".join(blocks)


def _time(when: object, text: str) -> str:
    return f'<time datetime="{when}">{text}</time>'


def _related(model: SiteModel, article: Article) -> str:
    items = []
    for other in (model.articles[i] for i in article.related):
        when = ""
        if other.published:
            when = " | " + _time(iso_time(other.published), f"{other.published:%Y-%m-%d %H:%M}")
        items.append(
            f'<li><a href="{article_path(other.id)}">{_t(other.title)}</a>'
            f'<div class="meta"><span class="category">{_t(other.category)}</span>{when} '
            f'<span class="count" title="Views">{other.views}</span></div></li>'
        )
    return f'<section class="related"><h2>Related reading</h2><ul>{"".join(items)}</ul></section>'


def _next(model: SiteModel, article: Article) -> str:
    if article.next_id is None:
        return ""
    other = model.articles[article.next_id]
    return (
        f'<section class="next-article"><h2>Read the next article</h2>'
        f'<h3><a href="{article_path(other.id)}">{_t(other.title)}</a></h3>'
        f"<p>{_t(other.teaser)}</p></section>"
    )


def _post_header(article: Article) -> str:
    meta = []
    if article.published:
        meta.append(_time(iso_time(article.published), f"{article.published:%Y-%m-%d %H:%M}"))
    meta.append(f'<span class="views">{article.views} views</span>')
    if article.source:
        meta.append(f'<span class="source">Source: {escape(article.source)}</span>')
    tags = "".join(
        f'<li><a href="{filler.PORTAL}/search/?kw={escape(k).replace(" ", "+")}" rel="tag">{_t(k)}</a></li>'
        for k in article.keywords
    )
    return f"""<header class="post-header">
<h1>{_t(article.title)}</h1>
<div class="post-meta">{" ".join(meta)}</div>
<ul class="tags">{tags}</ul>
</header>"""


def _share() -> str:
    links = "".join(
        f'<a href="{href}" class="share-btn" rel="nofollow noopener">{label}</a>'
        for label, href in filler.SHARE_LINKS
    )
    return f'<div class="share">Share: {links}<button type="button" onclick="window.print()">Print</button></div>'


def _comments(article: Article) -> str:
    return f"""<section class="comments" id="comments"><h2>Comments (0)</h2>
<form action="{filler.PORTAL}/comment/post.asp" method="post"><input type="hidden" name="id" value="{article.id}">
<textarea name="content" placeholder="Write a comment"></textarea><button type="submit">Post comment</button></form>
<p class="hint">Comments are the views of their authors only.</p></section>"""


def _breadcrumb(section: str) -> str:
    return (
        '<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>'
        f'<li><a href="/global/en/">{_t(section)}</a></li></ol></nav>'
    )


def _layout(
    model: SiteModel, urls: SiteUrls, crumb: str, main: str, page_id: int, extra: str = ""
) -> str:
    return f"""<div class="container">
{_breadcrumb(crumb)}
<div class="layout">
<main id="main">
{main}
</main>
{_sidebar(model, urls, page_id, extra)}
</div></div>"""


def article_page(model: SiteModel, article: Article, urls: SiteUrls) -> str:
    main = f"""<article class="post">
{_post_header(article)}
{_share()}
<section class="post-body">
{_body(model, article)}
</section>
<footer class="post-footer">{_share()}</footer>
</article>
{filler.ad_html(2, "ad ad-inline")}
{_related(model, article)}
{_next(model, article)}
{_comments(article)}"""
    head = _head(
        article.title,
        article.teaser[:150],
        _meta_tags(article, urls) + "\n" + _json_ld(article, urls),
    )
    return head + _header() + _layout(model, urls, article.category, main, article.id) + _footer()


def deleted_page(model: SiteModel, article: Article, urls: SiteUrls) -> str:
    main = """<div class="empty-state"><h1>Page not available</h1>
<p>The article does not exist or has been deleted.</p>
<p><a href="/global/en/" class="button">Back to news</a></p></div>"""
    return (
        _head("Page not available", "")
        + _header()
        + _layout(model, urls, "News", main, article.id)
        + _footer()
    )


def _card(article: Article, urls: SiteUrls, position: int) -> str:
    href = varied_href(urls, article.id, position)
    meta = []
    if article.published:
        meta.append(_time(iso_time(article.published), f"{article.published:%b %d, %Y}"))
    meta.append(f'<span class="category">{_t(article.category)}</span>')
    if position % 4 == 1:
        meta.append(
            f'<a href="{article_path(article.id)}#comments">{article.views % 7} comments</a>'
        )
    summary = ""
    if position % 3 != 0 and article.has_page:
        summary = f'<p class="summary">{_t(" ".join(article.paragraphs)[:140].rstrip())}...</p>'
    thumb = ""
    if position % 2 == 1 and article.published:
        thumb = f'<a class="thumb" href="{href}"><img src="{_image(article)}" alt="" loading="lazy"></a>'
    return f"""<article class="card">{thumb}<div class="card-body">
<h2 class="card-title"><a href="{href}">{_t(article.title)}</a></h2>{summary}
<div class="card-meta">{" ".join(meta)}</div></div></article>"""


def _pagination(page: int, pages: int) -> str:
    links = []
    if page > 1:
        links.append(f'<a href="{_page_href(page - 1)}" rel="prev">&lsaquo; Previous</a>')
    for number in range(max(1, page - 2), min(pages, page + 2) + 1):
        links.append(
            f'<span aria-current="page">{number}</span>'
            if number == page
            else f'<a href="{_page_href(number)}">{number}</a>'
        )
    if page + 2 < pages:
        links.append(f'<span class="gap">&hellip;</span><a href="{_page_href(pages)}">{pages}</a>')
    if page < pages:
        links.append(f'<a href="{_page_href(page + 1)}" rel="next">Next page &rsaquo;</a>')
    return f'<nav class="pagination" aria-label="Pagination">{" ".join(links)}</nav>'


def list_page(model: SiteModel, page: int, urls: SiteUrls, extra_sidebar: str) -> str:
    cards = "\n".join(_card(a, urls, i) for i, a in enumerate(model.list_page(page), start=1))
    main = f"""<h1 class="page-title">Industry news</h1>
<div class="feed">
{cards}
</div>
{_pagination(page, model.page_count)}"""
    title = "Industry news" if page == 1 else f"Industry news - Page {page}"
    return (
        _head(title, "Textile, apparel and footwear industry news")
        + _header()
        + _layout(model, urls, "News", main, page, extra_sidebar)
        + _footer()
    )


def simple_page(model: SiteModel, urls: SiteUrls, title: str, content: str) -> str:
    return _head(title, "") + _header() + _layout(model, urls, title, content, REAL_ID) + _footer()
