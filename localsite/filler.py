"""Page chrome that every layout carries: menus, link lists, styles and scripts, as data.

Real portal pages are 40-80 KB of which the article is a few KB; this is what fills the rest.
Built once at import: nothing here depends on the articles.
"""

from __future__ import annotations

from html import escape

PORTAL = "http://www.sjfzxm.com"
SITE_NAME = "World Clothes Shoes & Hats Net"
SITE_NAME_ZH = "世界服装鞋帽网"

# (label, href) of the top navigation; the Chinese portal sections are absolute links.
TOP_NAV: tuple[tuple[str, str], ...] = (
    ("Home", "/"),
    ("English", "/global/en/"),
    ("News", "/global/en/"),
    ("Brands", "http://brand.sjfzxm.com/"),
    ("Exhibitions", f"{PORTAL}/zhanhui/"),
    ("Supply", f"{PORTAL}/supply/"),
    ("Purchase", f"{PORTAL}/buy/"),
    ("Enterprises", f"{PORTAL}/company/"),
    ("Investment", f"{PORTAL}/zhaoshang/"),
    ("Talent", "http://job.sjfzxm.com/"),
    ("Fashion", f"{PORTAL}/fashion/"),
    ("Forum", "http://bbs.sjfzxm.com/"),
    ("中文版", f"{PORTAL}/"),
)
MENU_GROUPS: dict[str, tuple[str, ...]] = {
    "Clothing": (
        "Women's wear",
        "Men's wear",
        "Children's clothing",
        "Sportswear",
        "Casual wear",
        "Underwear",
        "Down jackets",
        "Knitwear",
        "Denim",
        "Suits",
        "Shirts",
        "Workwear",
        "Wedding dresses",
        "Outdoor clothing",
        "Middle-aged clothing",
    ),
    "Shoes and hats": (
        "Leather shoes",
        "Sports shoes",
        "Casual shoes",
        "Children's shoes",
        "Boots",
        "Sandals",
        "Slippers",
        "Hats",
        "Scarves",
        "Gloves",
        "Socks",
        "Belts",
    ),
    "Textiles": (
        "Cotton yarn",
        "Polyester",
        "Viscose",
        "Grey fabric",
        "Printed fabric",
        "Lace",
        "Non-woven fabric",
        "Technical textiles",
        "Home textiles",
        "Towels",
        "Bedding",
        "Curtains",
        "Silk",
        "Linen",
        "Wool",
    ),
    "Machinery": (
        "Spinning machinery",
        "Weaving machinery",
        "Knitting machines",
        "Sewing machines",
        "Dyeing equipment",
        "Embroidery machines",
        "Cutting beds",
        "Ironing equipment",
    ),
    "Services": (
        "Advertising",
        "Membership",
        "Online exhibition",
        "Brand promotion",
        "Market research",
        "Talent recruitment",
        "Quality testing",
        "Logistics",
        "Trade finance",
    ),
}
SIDEBAR_SHOPS: tuple[str, ...] = (
    "weixifushi88",
    "hengyuantex",
    "jinjiangshoes",
    "huafuyarn",
    "keqiaofabric",
    "humenfashion",
    "nantonghome",
    "shishicasual",
    "ningbosuits",
    "gaoyangtowel",
    "qinghecashmere",
    "yudugarment",
)
FOOTER_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "About us": (
        ("About the site", f"{PORTAL}/about/"),
        ("Contact us", f"{PORTAL}/about/contact.html"),
        ("Advertising services", f"{PORTAL}/about/ad.html"),
        ("Site map", f"{PORTAL}/sitemap.html"),
        ("Legal statement", f"{PORTAL}/about/law.html"),
        ("Join us", "http://job.sjfzxm.com/"),
    ),
    "Partners": (
        ("China Textile Industry Federation", "http://www.cntac.org.cn/"),
        ("China Garment Association", "http://www.cnga.org.cn/"),
        ("Partner exhibitions", "http://offsite.example/partners/"),
        ("Textile trade fair", "http://offsite.example/fair/2021/"),
        ("Fashion week", "http://fashionweek.example.org/"),
    ),
    "Follow us": (
        ("Weibo", "http://weibo.com/sjfzxm"),
        ("WeChat", "javascript:void(0)"),
        ("RSS", f"{PORTAL}/rss/news.xml"),
        ("Mobile site", "http://m.sjfzxm.com/"),
    ),
}
FRIEND_LINKS: tuple[tuple[str, str], ...] = tuple(
    (name, f"http://www.{slug}.example.com/")
    for name, slug in (
        ("Textile Network", "texnet"),
        ("Garment Trade", "garmenttrade"),
        ("Shoes Online", "shoesonline"),
        ("Fabric Market", "fabricmarket"),
        ("Home Textile Info", "hometex"),
        ("Knitting Net", "knitnet"),
        ("Yarn Price", "yarnprice"),
        ("Fashion Daily", "fashiondaily"),
        ("Dyeing Forum", "dyeforum"),
        ("Cotton Info", "cottoninfo"),
        ("Sewing Tech", "sewingtech"),
        ("Leather Net", "leathernet"),
        ("Hosiery Hub", "hosieryhub"),
        ("Denim World", "denimworld"),
        ("Silk Road Trade", "silkroadtrade"),
        ("Apparel Fairs", "apparelfairs"),
    )
)


def link_list(items: tuple[tuple[str, str], ...], sep: str = "\n") -> str:
    return sep.join(
        f'<a href="{href}" target="_blank">{escape(label)}</a>' for label, href in items
    )


def menu_html(ul_class: str = "submenu") -> str:
    """The mega menu: every group as a list of category links on the Chinese portal."""
    blocks = []
    for number, (group, labels) in enumerate(MENU_GROUPS.items(), start=1):
        items = "".join(
            f'<li><a href="{PORTAL}/products/{number}{index:03d}/" title="{escape(label)}">'
            f"{escape(label)}</a></li>"
            for index, label in enumerate(labels, start=1)
        )
        blocks.append(
            f'<dl class="menu_group"><dt>{escape(group)}</dt><dd><ul class="{ul_class}">'
            f"{items}</ul></dd></dl>"
        )
    return "\n".join(blocks)


def shops_html() -> str:
    items = "".join(
        f'<li><a href="http://{shop}.sjfzxm.com/" target="_blank">{shop}</a>'
        f'<span class="vip">VIP{(i % 5) + 1}</span></li>'
        for i, shop in enumerate(SIDEBAR_SHOPS)
    )
    return f'<ul class="shop_list">{items}</ul>'


def footer_groups_html() -> str:
    return "\n".join(
        f'<div class="foot_col"><h4>{escape(group)}</h4>{link_list(items)}</div>'
        for group, items in FOOTER_GROUPS.items()
    )


def _css(prefix: str, rules: int) -> str:
    """A stylesheet of the size real portals inline; selectors only need to look plausible."""
    parts = []
    names = ("box", "title", "list", "item", "more", "tab", "con", "pic", "txt", "btn", "nav", "ad")
    for i in range(rules):
        a, b = names[i % len(names)], names[(i * 5 + 3) % len(names)]
        parts.append(
            f".{prefix}_{a}{i} .{b}{{margin:{i % 7}px {i % 11}px;padding:{i % 5}px;"
            f"font-size:{12 + i % 4}px;line-height:{18 + i % 6}px;"
            f"color:#{(i * 2654435) % 0xFFFFFF:06x};"
            f"border-bottom:1px solid #e{i % 10}e{i % 10}e{i % 10};}}"
        )
    return "\n".join(parts)


PORTAL_CSS = _css("sj", 160)
REDESIGN_CSS = _css("c", 150).replace("_", "-")

ANALYTICS_JS = """
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?4f1c3d2b8a9e7f6d5c4b3a2918070605";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
function addFavorite(url, title) {
  try { window.external.addFavorite(url, title); }
  catch (e) { try { window.sidebar.addPanel(title, url, ""); }
  catch (e) { alert("Please press Ctrl+D to add to favorites"); } }
}
function setTab(name, cursel, n) {
  for (var i = 1; i <= n; i++) {
    var menu = document.getElementById(name + i);
    var con = document.getElementById("con_" + name + "_" + i);
    if (!menu || !con) { continue; }
    menu.className = i == cursel ? "hover" : "";
    con.style.display = i == cursel ? "block" : "none";
  }
}
function fontZoom(size) { document.getElementById("fontzoom").style.fontSize = size + "px"; }
"""

SHARE_LINKS: tuple[tuple[str, str], ...] = (
    ("WeChat", "javascript:void(0)"),
    ("Weibo", "http://service.weibo.com/share/share.php?appkey=1343713053"),
    ("QQ Zone", "http://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php"),
    ("Twitter", "https://twitter.com/intent/tweet"),
    ("LinkedIn", "https://www.linkedin.com/shareArticle?mini=true"),
)

AD_SLOTS: tuple[tuple[str, str], ...] = (
    ("banner_960x90", "http://offsite.example/ad/click?id=101"),
    ("side_300x250", "http://offsite.example/ad/click?id=102"),
    ("side_300x120", "http://offsite.example/ad/click?id=103"),
    ("float_120x300", "http://offsite.example/ad/click?id=104"),
)


def ad_html(slot: int, css_class: str = "ad") -> str:
    name, href = AD_SLOTS[slot % len(AD_SLOTS)]
    width, height = name.split("_")[1].split("x")
    return (
        f'<div class="{css_class}"><span class="ad_tag">AD</span>'
        f'<a href="{href}" target="_blank" rel="nofollow">'
        f'<img src="http://img1.sjfzxm.com/ad/{name}.gif" width="{width}" height="{height}" '
        f'alt="" border="0" /></a></div>'
    )


HOT_SEARCHES: tuple[str, ...] = (
    "cotton price",
    "down jackets",
    "Keqiao fabric",
    "sports shoes",
    "polyester yarn",
    "denim",
    "home textiles",
    "Humen fashion",
    "cashmere",
    "school uniforms",
    "sewing machine",
    "lace",
)


def hot_searches_html() -> str:
    return " ".join(
        f'<a href="{PORTAL}/search/?kw={escape(term).replace(" ", "+")}" target="_blank">'
        f"{escape(term)}</a>"
        for term in HOT_SEARCHES
    )
