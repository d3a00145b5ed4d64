"""Parses a podcast feed with two parsers none of us wrote, feedparser and podcastparser.

Usage: python3 podcast_feed.py FEED_URL
Prints one JSON object: the HTTP status, feedparser's bozo flag and what both parsers read,
and what feedparser read when it fetched the feed itself, asking for gzip as podcast apps do.
"""
import io
import json
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree

import feedparser
import podcastparser

url = sys.argv[1]
try:
    with urllib.request.urlopen(url) as response:
        body, status, content_type = response.read(), response.status, response.headers.get("Content-Type")
except urllib.error.HTTPError as error:
    print(json.dumps({"status": error.code}))
    sys.exit(0)

parsed = feedparser.parse(body)
namespace = "{https://podcastindex.org/namespace/1.0}"
chapters = [element.get("url") for element in ElementTree.fromstring(body).iter(namespace + "chapters")]
podcast = podcastparser.parse(url, io.BytesIO(body))
channel = parsed.feed
fetched = feedparser.parse(url)
print(json.dumps({
    "status": status,
    "content_type": content_type,
    "bozo": bool(parsed.bozo),
    "bozo_exception": str(parsed.get("bozo_exception", "")),
    "title": channel.get("title"),
    "locked": channel.get("podcast_locked"),
    "podcast_guid": channel.get("podcast_guid"),
    "items": [{
        "title": entry.get("title"),
        "guid": entry.get("id"),
        "published": entry.get("published"),
        "duration": entry.get("itunes_duration"),
        "season": entry.get("itunes_season"),
        "episode": entry.get("itunes_episode"),
        "enclosures": [{"url": link.get("href"), "length": link.get("length"), "type": link.get("type")}
                       for link in entry.get("links", []) if link.get("rel") == "enclosure"],
    } for entry in parsed.entries],
    "chapters_urls": chapters,
    "fetched_by_feedparser": {
        "content_encoding": fetched.get("headers", {}).get("content-encoding"),
        "vary": fetched.get("headers", {}).get("vary"),
        "bozo": bool(fetched.bozo),
        "same_items": [entry.get("id") for entry in fetched.entries] == [entry.get("id") for entry in parsed.entries]
        and [entry.get("links") for entry in fetched.entries] == [entry.get("links") for entry in parsed.entries],
    },
    "podcastparser": {
        "title": podcast.get("title"),
        "episodes": [{
            "title": episode["title"], "guid": episode["guid"], "total_time": episode["total_time"],
            "season": episode.get("season"), "number": episode.get("number"), "published": episode["published"],
            "enclosures": episode["enclosures"],
        } for episode in podcast.get("episodes", [])],
    },
}))
