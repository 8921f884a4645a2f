"""The "portal" layout: the old table-and-div portal page, as the real article was served."""

# HTML templates: their lines are markup, and rewrapping them would change the bytes served.
# ruff: noqa: E501

from __future__ import annotations

from html import escape

from localsite import filler
from localsite.article import Article, info_time
from localsite.links import SiteUrls, article_path, image_url, list_path, varied_href
from localsite.model import SiteModel
from localsite.realdata import REAL_ID

NAME = "portal"


def _t(text: str) -> str:
    """Escape for a text node; old CMSes leave quotes and apostrophes as they are."""
    return escape(text, quote=False)


def _head(title: str, description: str, keywords: str, charset: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{_t(title)}_{escape(filler.SITE_NAME)}</title>
<meta name="keywords" content="{escape(keywords)}" />
<meta name="description" content="{escape(description)}" />
<link href="/global/en/css/global.css" rel="stylesheet" type="text/css" />
<style type="text/css">
{filler.PORTAL_CSS}
</style>
<script type="text/javascript" src="/js/jquery-1.4.2.min.js"></script>
<script type="text/javascript">{filler.ANALYTICS_JS}</script>
</head>
<body>"""


def _header() -> str:
    nav = "".join(f'<li><a href="{href}">{_t(label)}</a></li>' for label, href in filler.TOP_NAV)
    return f"""
<div id="top_bar"><div class="w960">
<span class="fl">Welcome to {_t(filler.SITE_NAME)} | <a href="{filler.PORTAL}/">{filler.SITE_NAME_ZH}</a></span>
<span class="fr"><a href="{filler.PORTAL}/member/login.asp">Login</a> | <a href="{filler.PORTAL}/member/reg.asp">Free registration</a> | <a href="javascript:addFavorite(location.href, document.title)">Add to favorites</a></span>
</div></div>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" id="header"><tr>
<td width="260"><a href="/"><img src="http://img1.sjfzxm.com/images/logo_en.gif" width="240" height="60" alt="{escape(filler.SITE_NAME)}" /></a></td>
<td><form action="{filler.PORTAL}/search/" method="get" target="_blank"><select name="type"><option value="news">News</option><option value="supply">Supply</option><option value="company">Company</option></select><input type="text" name="kw" class="search_input" value="" /><input type="submit" value="Search" class="search_btn" /></form>
<div class="hot_search">Hot searches: {filler.hot_searches_html()}</div></td>
</tr></table>
<div id="nav"><ul class="nav_main">{nav}</ul></div>
<div id="nav_sub" class="w960">{filler.menu_html()}</div>
{filler.ad_html(0, "ad_banner w960")}"""


def _sidebar_list(title: str, articles: list[Article], urls: SiteUrls, salt: int) -> str:
    items = "".join(
        f'<li><span class="num{i}">{i}</span><a href="{varied_href(urls, a.id, salt)}" '
        f'target="_blank" title="{escape(a.title)}">{_t(a.title)}</a></li>'
        for i, a in enumerate(articles, start=1)
    )
    return f'<div class="side_box"><div class="side_tit"><h3>{title}</h3><a href="/global/en/" class="more">More&gt;&gt;</a></div><ul class="side_list">{items}</ul></div>'


def link_widget(title: str, items: list[tuple[str, str]]) -> str:
    links = "".join(
        f'<li><a href="{href}" target="_blank">{_t(label)}</a></li>' for label, href in items
    )
    return f'<div class="side_box"><div class="side_tit"><h3>{_t(title)}</h3></div><ul class="side_list">{links}</ul></div>'


def _sidebar(model: SiteModel, urls: SiteUrls, page_id: int, extra: str = "") -> str:
    return f"""<div class="right">
{filler.ad_html(1)}
{_sidebar_list("Hot news", model.hot(), urls, 1)}
{extra}
{_sidebar_list("Recommended", model.recommended(page_id), urls, 2)}
{filler.ad_html(2)}
<div class="side_box"><div class="side_tit"><h3>Member shops</h3></div>{filler.shops_html()}</div>
</div>"""


def _footer() -> str:
    return f"""
<div class="friend_links w960"><b>Friendly links:</b> {filler.link_list(filler.FRIEND_LINKS, " | ")}</div>
<div id="footer"><div class="w960">{filler.footer_groups_html()}
<p class="copyright">Copyright &copy; 2004-2021 {_t(filler.SITE_NAME)} All Rights Reserved | <a href="http://www.miibeian.gov.cn/" target="_blank">ICP No. 05012345</a></p>
<p>Tel: 0755-8888 6666 &nbsp; Email: <a href="mailto:news@sjfzxm.com">news@sjfzxm.com</a></p>
</div></div>
{filler.ad_html(3, "float_ad")}
<script type="text/javascript">document.write(unescape("%3Cspan id='cnzz_stat_icon'%3E%3C/span%3E"));</script>
</body>
</html>"""


def _paragraphs(article: Article) -> str:
    """Three body styles seen on such sites: <p>, <br> runs with ideographic indent, and <p> + images."""
    paras = [escape(p, quote=False) for p in article.paragraphs]
    source = [f"(source: {escape(article.source)})"] if article.source else []
    style = article.id % 3
    if style == 1:
        lines = [f"\u3000\u3000{p}" for p in paras + source]
        return "<br />\n<br />\n".join(lines) + "<br />\n&nbsp;"
    blocks = [f"<p>{p}</p>" for p in paras]
    if style == 2 and article.published:
        day = article.published.strftime("%Y/%m/%d")
        picture = f'<p style="text-align: center;"><img src="{image_url(article.id, 1, day)}" alt="{escape(article.title)}" border="0" /></p>'
        blocks.insert(1, picture)
    return "\n".join(blocks + [f"<p>{s}</p>" for s in source] + ["<p>&nbsp;</p>"])


def _related(model: SiteModel, article: Article) -> str:
    items = []
    for other in (model.articles[i] for i in article.related):
        when = f'<span class="sj">{info_time(other.published)}</span>' if other.published else ""
        items.append(
            f'<li><a href="{article_path(other.id)}" target="_blank">{_t(other.title)}</a>'
            f'<div class="xgyd_info"><span class="lm">{_t(other.category)}</span>'
            f'<span class="fg">|</span>{when}<span class="ll">{other.views}</span></div></li>'
        )
    return (
        '<div class="xgyd"><div class="xgyd_tit"><ul><li>Related reading</li></ul></div>'
        f'<ul class="xgyd_list">{"".join(items)}</ul></div>'
    )


def _next(model: SiteModel, article: Article, urls: SiteUrls) -> str:
    if article.next_id is None:
        return ""
    other = model.articles[article.next_id]
    return (
        '<div class="next_news"><div class="next_tit">Read the next article</div>'
        f'<h3><a href="{urls.base}{article_path(other.id)}">{_t(other.title)}</a></h3>'
        f'<p class="next_intro">{_t(other.teaser)}</p></div>'
    )


def _share(article: Article) -> str:
    share = " ".join(
        f'<a href="{href}" target="_blank" rel="nofollow">{label}</a>'
        for label, href in filler.SHARE_LINKS
    )
    return (
        f'<div class="share_bar"><span>Share to: {share}</span>'
        '<span class="tools"><a href="javascript:window.print()">Print</a> | '
        '<a href="javascript:addFavorite(location.href, document.title)">Favorite</a> | '
        '<a href="javascript:window.close()">Close</a> | Font: '
        '<a href="javascript:fontZoom(16)">Large</a> <a href="javascript:fontZoom(14)">Medium</a> '
        '<a href="javascript:fontZoom(12)">Small</a></span></div>'
    )


def _comments(article: Article) -> str:
    return f"""<div class="comment_box" id="comments"><div class="comment_tit">Comments <span>(0)</span> <a href="{filler.PORTAL}/comment/list.asp?id={article.id}" target="_blank">View all comments</a></div>
<form action="{filler.PORTAL}/comment/post.asp" method="post"><input type="hidden" name="id" value="{article.id}" />
<textarea name="content" rows="5" cols="60">Please enter your comment</textarea><br />
<input type="submit" value="Post comment" class="btn" /> <label><input type="checkbox" name="anonymous" value="1" /> Anonymous</label></form>
<p class="comment_tip">Netizens' comments only represent their own views and have nothing to do with this website.</p></div>"""


def _keywords(article: Article) -> str:
    tags = "&nbsp;".join(
        f'<a href="{filler.PORTAL}/search/?kw={escape(k).replace(" ", "+")}" target="_blank">{_t(k)}</a>'
        for k in article.keywords
    )
    return f'<div class="news_keys">{tags}</div>'


def _breadcrumb(section: str) -> str:
    return f'<div class="position">Home &gt; <a href="/global/en/">{_t(section)}</a></div>'


def article_page(model: SiteModel, article: Article, urls: SiteUrls) -> str:
    when = info_time(article.published) if article.published else ""
    info = f'<div class="news_info"><span>{when}&nbsp;&nbsp;<font color="#999999">{article.views}</font></span></div>'
    left = f"""<div class="left">
{_breadcrumb(article.category)}
<div class="news_box">
<div class="news_title"><h1>{_t(article.title)}</h1></div>
{info}
{_keywords(article)}
<div class="news_content" id="fontzoom">
{_paragraphs(article)}
</div>
{_share(article)}
{filler.ad_html(1, "ad_content")}
{_related(model, article)}
{_next(model, article, urls)}
{_comments(article)}
</div></div>"""
    head = _head(article.title, article.teaser[:120], ",".join(article.keywords), article.encoding)
    return _article_frame(head, left, model, urls, article.id)


def _article_frame(head: str, left: str, model: SiteModel, urls: SiteUrls, article_id: int) -> str:
    """The portal chrome around an article page's left column."""
    return "".join(
        (
            head,
            _header(),
            '<div class="main w960">',
            left,
            _sidebar(model, urls, article_id),
            '<div class="clear"></div></div>',
            _footer(),
        )
    )


def deleted_page(model: SiteModel, article: Article, urls: SiteUrls) -> str:
    left = f"""<div class="left">
{_breadcrumb("News")}
<div class="news_box"><div class="tips_box"><img src="http://img1.sjfzxm.com/images/tips.gif" alt="" />
<p class="tips">The article does not exist or has been deleted!</p>
<p><a href="/global/en/">Return to the news home page</a> | <a href="javascript:history.go(-1)">Go back</a></p></div></div>
</div>"""
    return _article_frame(_head("Prompt message", "", "", "utf-8"), left, model, urls, article.id)


def _list_item(model: SiteModel, article: Article, urls: SiteUrls, position: int) -> str:
    when = f'<span class="date">{article.published:%Y-%m-%d}</span>' if article.published else ""
    href = varied_href(urls, article.id, position)
    intro = ""
    if position % 2 == 0 and article.has_page:
        intro = f'<p class="intro">{_t(" ".join(article.paragraphs)[:110].rstrip())}...</p>'
    comments = ""
    if position % 5 == 3:
        comments = (
            f' <a class="cmt" href="{article_path(article.id)}#comments">({article.views % 9})</a>'
        )
    return f'<li>{when}<a href="{href}" target="_blank" title="{escape(article.title)}">{_t(article.title)}</a>{comments}{intro}</li>'


def _pagination(page: int, pages: int, total: int) -> str:
    links = [
        f"<span>Total {total} records, page {page}/{pages}</span>",
        f'<a href="{list_path(1)}">Home page</a>',
    ]
    if page > 1:
        links.append(f'<a href="{list_path(page - 1)}">Previous page</a>')
    for number in range(max(1, page - 4), min(pages, page + 5) + 1):
        links.append(
            f"<b>{number}</b>" if number == page else f'<a href="{list_path(number)}">{number}</a>'
        )
    if page < pages:
        links.append(f'<a href="{list_path(page + 1)}">Next page</a>')
    links.append(f'<a href="{list_path(pages)}">Last page</a>')
    return f'<div class="pages">{" ".join(links)}</div>'


def list_page(model: SiteModel, page: int, urls: SiteUrls, extra_sidebar: str) -> str:
    items = "\n".join(
        _list_item(model, a, urls, i) for i, a in enumerate(model.list_page(page), start=1)
    )
    left = f"""<div class="left">
{_breadcrumb("News")}
<div class="list_box"><div class="list_tit"><h2>Industry information</h2></div>
<ul class="news_list">
{items}
</ul>
{_pagination(page, model.page_count, model.listed_count)}
</div></div>"""
    title = "Industry information" if page == 1 else f"Industry information - page {page}"
    return "".join(
        (
            _head(
                title,
                "Textile, garment and footwear industry news in English",
                "textile news",
                "utf-8",
            ),
            _header(),
            '<div class="main w960">',
            left,
            _sidebar(model, urls, page, extra_sidebar),
            '<div class="clear"></div></div>',
            _footer(),
        )
    )


def simple_page(model: SiteModel, urls: SiteUrls, title: str, content: str) -> str:
    """Chrome around a small block: archive days, the home page, "not found"."""
    return "".join(
        (
            _head(title, "", "", "utf-8"),
            _header(),
            '<div class="main w960"><div class="left">',
            _breadcrumb(title),
            content,
            "</div>",
            _sidebar(model, urls, REAL_ID),
            '<div class="clear"></div></div>',
            _footer(),
        )
    )
