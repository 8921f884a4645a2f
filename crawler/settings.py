"""Project settings, grouped by component. Every custom setting is in the README's table."""

from __future__ import annotations

from pathlib import Path

BOT_NAME = "textile-news-crawler"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.commands"

# --- Politeness --------------------------------------------------------------------------------
# Contact URL put in the User-Agent so site operators can reach whoever runs the crawler.
CONTACT_URL = "https://github.com/textile-news-crawler"
# USER_AGENT is "<BOT_NAME>/0.1 (+<CONTACT_URL>)", composed by the spider so that -s CONTACT_URL
# takes effect; -s USER_AGENT=... still replaces it whole.
USER_AGENT = f"{BOT_NAME}/0.1 (+{CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
# Applies per download slot, and the slot is the registered domain (see SiteSlotMiddleware),
# so mirror subdomains of one site share this budget.
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# robots.txt Crawl-delay is a floor on the site's download delay (crawler.extensions.crawldelay);
# a longer one is cut to this many seconds, with a warning.
CRAWL_DELAY_MAX = 60.0

# --- Bounds against hostile navigation ---------------------------------------------------------
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Navigation pages (lists, indexes) lead on only while they reveal articles; this caps the chain
# of navigation pages that reveal nothing new before the spider stops following it.
NAV_MAX_BARREN_HOPS = 1
# Hard cap on navigation depth from a start page, whatever the page lists.
NAV_MAX_DEPTH = 200
# Links read from one page (list or article); the rest are not followed (stat links/capped): a
# page of 200k links must not queue 200k requests.
LINKS_PER_PAGE_MAX = 2000
REDIRECT_MAX_TIMES = 5

# --- Retries -----------------------------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# --- Request identity --------------------------------------------------------------------------
# Article requests are identified by the site's article id, whatever the host or query string.
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.SiteAwareRequestFingerprinter"

DOWNLOADER_MIDDLEWARES = {
    # The last to see a response (after decompression, redirects, the conditional 304): reads
    # article and list pages in the reading pool (crawler.pool) before their callback runs.
    "crawler.pool.middleware.ReadingPoolMiddleware": 50,
    "crawler.middlewares.SiteSlotMiddleware": 60,
    # Backfills only: answers article requests from the archive, before robots.txt (100) is
    # consulted; off (NotConfigured) in a live crawl.
    "crawler.archive.middlewares.ArchiveDownloaderMiddleware": 90,
    # After RetryMiddleware (550), before HttpCacheMiddleware (900): a conditional request is
    # marked dont_cache before the cache sees it.
    "crawler.conditional.ConditionalRequestMiddleware": 560,
    # After RetryMiddleware (550): a refused host is not retried.
    "crawler.middlewares.PrivateAddressMiddleware": 590,
    # Scrapy's meta-refresh redirects, in its place (580), without decoding every page to find
    # none (crawler.metarefresh: ~0.1 ms of reactor CPU per page).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.metarefresh.PrecheckedMetaRefreshMiddleware": 580,
}

# --- Private-address guard (crawler.privateaddress, crawler.middlewares) ------------------------
# Refuse fetches of hosts that resolve to loopback, private, link-local, multicast or reserved
# addresses; an IP literal is fetched only when the operator named it (-a allowed_domains or
# -a start_urls) or PRIVATE_ADDRESS_ALLOW permits it.
PRIVATE_ADDRESS_GUARD_ENABLED = True
# Host names, addresses and networks (CIDR) that may be private: "intranet.example,10.1.0.0/16".
PRIVATE_ADDRESS_ALLOW: list[str] = []
# The resolver that checks every answer it gives (the address checked is the one connected to).
TWISTED_DNS_RESOLVER = "crawler.privateaddress.PrivateAddressResolver"
# http(s) only: the FTP handler has no timeout (a silent port held a run, SIGTERM included, for
# minutes) and a news site has no S3 pages. http(s): Scrapy's handler, except that a shutdown
# cancels downloads still in flight after DOWNLOAD_SHUTDOWN_GRACE seconds (crawler.handlers).
DOWNLOAD_HANDLERS = {
    "http": "crawler.handlers.GracefulHTTPDownloadHandler",
    "https": "crawler.handlers.GracefulHTTPDownloadHandler",
    "ftp": None,
    "s3": None,
}
DOWNLOAD_SHUTDOWN_GRACE = 3

# --- Item pipelines (one stage per module in pipelines/) ----------------------------------------
# Outputs of one response (its record, its links) processed at once. Scrapy starts this many
# worker tasks for every response, whatever it yields (its default, 100, cost ~1 ms of reactor
# CPU per page); our stages are synchronous, so more workers buy no parallelism.
CONCURRENT_ITEMS = 16
# Requests waiting in the scheduler are kept pickled (crawler.queues): a crawl discovers articles
# faster than it fetches them, and tens of thousands wait on a large site (0.3 KB each, not 1.7).
SCHEDULER_MEMORY_QUEUE = "crawler.queues.CompactLifoMemoryQueue"
# Scrapy re-reads a callback's source (inspect + ast) to warn about generators that return a value
# whenever its weak cache of bound methods has lost the callback: up to 0.6 ms of reactor CPU per
# page. Our callbacks return nothing (yield only); the warning is a developer aid we do not need.
WARN_ON_GENERATOR_RETURN_VALUE = False
ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.tombstone.TombstonePipeline": 150,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.incremental.IncrementalPipeline": 250,
    "pipelines.dedup.DedupPipeline": 300,
    "pipelines.limit.MaxArticlesPipeline": 900,
}
# Near-duplicate threshold: estimated Jaccard similarity of word-shingle sets above which two
# bodies are one story.
NEAR_DUPLICATE_THRESHOLD = 0.7

# --- Incremental runs --------------------------------------------------------------------------
# Fetch an already emitted article again once its last emission is this many days old (None: never;
# list pages and related blocks that show a changed title or date trigger a fetch anyway).
RECHECK_AFTER_DAYS = None
# Content-index writes batched per SQLite transaction (the emitted list is written per output file).
STATE_COMMIT_EVERY = 200
# Re-fetches of emitted articles, list pages, feeds and sitemaps send the ETag/Last-Modified they
# were last served with; a 304 answer is not read (crawler.conditional). Off in distributed mode.
CONDITIONAL_REQUESTS_ENABLED = True

# --- Feeds and sitemaps (crawler.feeds, routed by crawler.spider) ------------------------------
# Read robots.txt Sitemap lines and <link rel="alternate"> feeds of start pages as start sources.
SITE_FEEDS_ENABLED = True
# Entries taken from one feed or sitemap (newest first where it gives dates).
SITE_FEEDS_MAX_ENTRIES = 300
# Feeds and sitemaps fetched per run (sitemap index children included).
SITE_FEEDS_MAX_DOCUMENTS = 20

# --- Run lifecycle: lock, crash recovery, report, exit status -----------------------------------
EXTENSIONS = {
    "crawler.extensions.runstate.RunStateExtension": 100,
    "crawler.extensions.report.RunReport": 110,
    # Before RunReport: its stats are in place when the report is written.
    "crawler.extensions.timing.StageTiming": 105,
    # Backfills only (-a warc= / -a archive=): the archive's index of captures.
    "crawler.archive.backfill.ArchiveBackfill": 120,
    # robots.txt Crawl-delay as a floor on the download delay of the site's slot.
    "crawler.extensions.crawldelay.CrawlDelay": 130,
}
# Exit status 4 when ERROR log lines exceed this share of requests.
EXIT_MAX_ERROR_RATIO = 0.25
# Exit status 5 when items dropped as invalid exceed this share of article pages.
EXIT_MAX_DROP_RATIO = 0.5
# The two ratio rules above apply only from this many requests / article pages on.
EXIT_RATIO_MIN_PAGES = 10

# --- Output ------------------------------------------------------------------------------------
# Default feed: <DATA_DIR>/<spider>/<timestamp>.jsonl (set up in crawler.spider.NewsSpider).
DATA_DIR = "./data"
# Everything kept between runs (article store, locks).
STATE_DIR = "./state"
FEED_EXPORT_ENCODING = "utf-8"
# -O out.csv: nested fields as JSON, not Python reprs (crawler.exporters).
FEED_EXPORTERS = {"csv": "crawler.exporters.JsonFieldsCsvItemExporter"}
# A run that emits nothing writes no output file (a 0-byte .jsonl breaks DuckDB and pandas globs);
# its report says "output": null.
FEED_STORE_EMPTY = False
# Local feed files are written as <file>.part and renamed when complete (crawler.feedstorage).
FEED_STORAGES = {
    "": "crawler.feedstorage.AtomicFileFeedStorage",
    "file": "crawler.feedstorage.AtomicFileFeedStorage",
}

# --- Backfill from web archives (crawler.archive; -a warc= or -a archive=) ---------------------
# Index and capture requests to an archive: at most this many at once, this many seconds apart
# (their own download slot "archive", so the site's delay does not apply to them).
ARCHIVE_CONCURRENCY = 2
ARCHIVE_DOWNLOAD_DELAY = 1.0
# Common Crawl: the list of crawls (each with its CDX API URL) and the WARC data host (ranges).
ARCHIVE_COMMONCRAWL_COLLINFO_URL = "https://index.commoncrawl.org/collinfo.json"
ARCHIVE_COMMONCRAWL_DATA_URL = "https://data.commoncrawl.org/"
# Wayback Machine: its CDX server and replay endpoint (raw captures: <timestamp>id_/<url>).
ARCHIVE_WAYBACK_CDX_URL = "https://web.archive.org/cdx/search/cdx"
ARCHIVE_WAYBACK_DATA_URL = "https://web.archive.org/web/"
# WARC records scanned between yields to the reactor (so SIGTERM is honoured on large files).
ARCHIVE_SCAN_BATCH = 200

# --- Distributed mode (crawler.distributed; on with -s REDIS_URL=, docs/distributed.md) ---------
# Seconds without heartbeat after which a worker counts as dead (its requests and records go to
# the others), and between heartbeats, lease releases and checks for work when idle.
REDIS_LEASE_TIMEOUT = 30
REDIS_POLL_INTERVAL = 0.5
# The heartbeat is renewed off the reactor while the engine loop turned within this many seconds:
# a worker stuck longer (a page that never finishes) loses its leases REDIS_LEASE_TIMEOUT later.
REDIS_STALL_TIMEOUT = 120

# --- Stage timing (crawler.extensions.timing) --------------------------------------------------
# CPU time per stage (timing/<stage>_ms stats, in the run report); the middleware sits closest to
# the spider so that it times the callbacks alone.
STAGE_TIMING_ENABLED = True
# --- Reading pool (crawler.pool) ---------------------------------------------------------------
# Worker processes that read pages (parse, fields, links) off the reactor thread. None: the
# machine's cores minus one (the reactor's), at least 1; 0: read in-process, as before the pool.
READING_POOL_SIZE = None
# Seconds one page may take in a worker before the worker is killed (the page is skipped).
READING_TIMEOUT = 60
# Pages a worker reads before a new worker takes its place (0: never), as multiprocessing's
# maxtasksperchild: gives back what a long-lived reading process accumulates (the C heap's
# fragmentation, touched pages of the mapped language model). A new worker costs about a second
# of CPU (imports, warm-up): at this default, under 0.1 ms per page.
READING_WORKER_MAX_PAGES = 10000

SPIDER_MIDDLEWARES = {
    "crawler.extensions.timing.CallbackTiming": 1000,
    # Backfills only: start requests from the archive, capture stamps on records.
    "crawler.archive.middlewares.ArchiveSpiderMiddleware": 950,
}

# --- Logging (crawler.logformat) --------------------------------------------------------------
# Items in the log by id (a dropped duplicate is one line, not the whole article); robots.txt
# download failures one WARNING line without traceback.
LOG_FORMATTER = "crawler.logformat.OneLineLogFormatter"

# --- Look-only commands (scrapy parse, check, shell, fetch, view: crawler/commands/) ---------
# Each is on for a crawl; those commands switch them off (unless -s sets them), so that looking
# at a page leaves no file: the lock, crash recovery and the on-disk article store (off: an empty
# in-memory store), the run report <run>.stats.json, the default feed <DATA_DIR>/<spider>/....
RUN_STATE_ENABLED = True
RUN_REPORT_ENABLED = True
DEFAULT_FEED_ENABLED = True
# The project's own contract (@filled) beside Scrapy's @url, @returns, @scrapes.
SPIDER_CONTRACTS = {"crawler.contracts.FilledContract": 10}
# Stored pages `scrapy check` answers the contracts' requests from (crawler.fixtureresponses);
# empty: the contracts fetch the live site.
CHECK_FIXTURES_DIR = str(Path(__file__).resolve().parent.parent / "tests" / "fixtures")

# --- Misc --------------------------------------------------------------------------------------
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# Scrapy's RemoteControl extension (on by default since 2.19) runs Python sent to a local
# HTTP port (its token in a job file): a remote control of the crawl we never use.
REMOTE_CONTROL_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# The JSON Lines field order, also for `-O out.jsonl`.
from crawler.items import ARTICLE_FIELDS  # noqa: E402

FEED_EXPORT_FIELDS = ARTICLE_FIELDS
