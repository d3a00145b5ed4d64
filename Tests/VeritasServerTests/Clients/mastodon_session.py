"""A scripted Mastodon.py session against a live Veritas server (a client none of us wrote).

Usage: python3 mastodon_session.py BASE_URL
Signs up two fresh users through the API, then: register an app, log in with the password
grant, verify credentials, post, reply, retruth, like, follow, read the home and public
timelines, page through them with fetch_next/fetch_previous, read notifications, delete a post.
Every step asserts what a Mastodon server would answer; prints "ok" at the end.
"""
import sys
import uuid

from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

base = sys.argv[1]
scopes = ["read", "write", "follow"]
client_id, client_secret = Mastodon.create_app("veritas-session", api_base_url=base, scopes=scopes)
suffix = uuid.uuid4().hex[:8]


def sign_up_and_log_in(name):
    app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    app.create_account(name, "session-password", f"{name}@example.com", agreement=True, scopes=scopes)
    fresh = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    token = fresh.log_in(name, "session-password", scopes=scopes)
    return Mastodon(access_token=token, api_base_url=base)


writer_name, reader_name = f"writer{suffix}", f"reader{suffix}"
writer, reader = sign_up_and_log_in(writer_name), sign_up_and_log_in(reader_name)
writer_me = writer.account_verify_credentials()
reader_me = reader.account_verify_credentials()
assert writer_me.username == writer_name and reader_me.username == reader_name

# Follow, then the writer posts; the reader's home shows it.
relationship = reader.account_follow(writer_me.id)
assert relationship.following and not relationship.followed_by
assert reader.account_relationships(writer_me.id)[0].following
first = writer.status_post(f"Hello from {writer_name} #veritas <b>bold?</b>", idempotency_key=f"k-{suffix}")
again = writer.status_post(f"Hello from {writer_name} #veritas <b>bold?</b>", idempotency_key=f"k-{suffix}")
assert again.id == first.id, "Idempotency-Key must return the first status"
assert "&lt;b&gt;" in first.content and "<b>" not in first.content
assert first.tags[0].name == "veritas"
home = reader.timeline_home()
assert home[0].id == first.id

# Reply with a mention, retruth and like; counts and caller flags follow.
reply = reader.status_post(f"@{writer_name} welcome!", in_reply_to_id=first.id)
assert reply.in_reply_to_id == first.id and reply.mentions[0].username == writer_name
reblog = reader.status_reblog(first.id)
assert reblog.reblog.id == first.id and reblog.reblog.reblogged
liked = reader.status_favourite(first.id)
assert liked.favourited and liked.favourites_count == 1
seen = writer.status(first.id)
assert seen.replies_count == 1 and seen.reblogs_count == 1 and seen.favourites_count == 1
context = writer.status_context(first.id)
assert [status.id for status in context.descendants] == [reply.id]

# Enough posts to page through, with the client's own pagination helpers.
posted = [writer.status_post(f"post {n}").id for n in range(25)]
page = reader.timeline_home(limit=10)
assert [status.id for status in page] == list(reversed(posted))[:10]
second = reader.fetch_next(page)
assert [status.id for status in second] == list(reversed(posted))[10:20]
back = reader.fetch_previous(second)
assert [status.id for status in back] == [status.id for status in page]
public_page = reader.timeline_public(limit=5)
assert len(public_page) == 5
older = reader.fetch_next(public_page)
assert older and min(s.id for s in public_page) > max(s.id for s in older)
tagged = reader.timeline_hashtag("veritas")
assert first.id in [status.id for status in tagged]

# Notifications of the writer: follow, mention, retruth, favourite.
kinds = {notification.type for notification in writer.notifications()}
assert {"follow", "mention", "reblog", "favourite"} <= kinds, kinds
mentions_only = writer.notifications(types=["mention"])
assert {notification.type for notification in mentions_only} == {"mention"}

# Delete: gone for everyone, and a stranger cannot delete.
try:
    reader.status_delete(first.id)
    raise AssertionError("deleting another user's status must fail")
except MastodonAPIError as error:
    assert error.args[1] == 403, error.args
deleted = writer.status_delete(first.id)
assert deleted.text.startswith("Hello from")
try:
    reader.status(first.id)
    raise AssertionError("a deleted status must be gone")
except MastodonNotFoundError:
    pass
assert first.id not in [status.id for status in reader.timeline_home(limit=40)]
assert reader.account_unfollow(writer_me.id).following is False
print("ok")
