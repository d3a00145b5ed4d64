"""OAuth scopes, favourited_by/reblogged_by and rate limits, seen through Mastodon.py.

usage: mastodon_scopes.py BASE CHECK ...
  scopes BASE PASSWORD READER WRITER   a `read` token cannot post, follow, favourite or upload;
                                       an app registered for `read` grants no more than that
  actors BASE PASSWORD AUTHOR FAN      favourited_by and reblogged_by list who did it
  limits BASE PASSWORD POSTER TARGET   300 statuses per account, then 429 with its headers;
                                       400 follows, then 429
Prints "ok" on success.
"""
import sys
import uuid

import requests
from mastodon import Mastodon, MastodonAPIError, MastodonRatelimitError

base, check, password = sys.argv[1], sys.argv[2], sys.argv[3]
names = sys.argv[4:]
OUTSIDE = "This action is outside the authorized scopes"


def client(name, scopes):
    client_id, client_secret = Mastodon.create_app(f"scopes-{uuid.uuid4().hex[:6]}", api_base_url=base, scopes=scopes)
    app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base, ratelimit_method="throw")
    token = app.log_in(name, password, scopes=scopes)
    return Mastodon(access_token=token, api_base_url=base, ratelimit_method="throw")


def refused(call, *arguments):
    try:
        call(*arguments)
    except MastodonAPIError as error:
        assert error.args[1] == 403, error.args
        assert OUTSIDE in str(error), error.args
        return
    raise AssertionError(f"{call.__name__} worked with a read-only token")


if check == "scopes":
    reader_name, writer_name = names
    reader, writer = client(reader_name, ["read"]), client(writer_name, ["read", "write", "follow"])
    me = reader.account_verify_credentials()
    assert me.username == reader_name
    assert reader.timeline_home() is not None
    post = writer.status_post(f"scoped {uuid.uuid4().hex}", visibility="private")
    refused(reader.status_post, "a read token posting")
    refused(reader.account_follow, writer.account_verify_credentials().id)
    refused(reader.status_favourite, post.id)
    refused(reader.notifications_clear)
    # Uploads need admin:write, whatever the account is.
    upload = requests.post(f"{base}/api/v1/uploads", headers={
        "Authorization": f"Bearer {reader.access_token}", "Tus-Resumable": "1.0.0", "Upload-Length": "10"})
    assert upload.status_code == 403 and upload.json()["error"] == OUTSIDE, upload.text
    # An app registered for `read` never grants `write`: Mastodon.py sees the narrower grant.
    client_id, client_secret = Mastodon.create_app(f"narrow-{uuid.uuid4().hex[:6]}", api_base_url=base, scopes=["read"])
    app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    try:
        app.log_in(reader_name, password, scopes=["read", "write"])
        raise AssertionError("a read app granted write")
    except MastodonAPIError as error:
        assert "scope" in str(error).lower(), error
    narrow = requests.post(f"{base}/oauth/token", data={
        "grant_type": "password", "client_id": client_id, "client_secret": client_secret, "username": reader_name,
        "password": password, "scope": "read write"}).json()
    assert narrow["scope"] == "read", narrow
    writer.status_delete(post.id)
elif check == "actors":
    author_name, fan_name = names
    author, fan = client(author_name, ["read", "write"]), client(fan_name, ["read", "write"])
    post = author.status_post(f"like and share {uuid.uuid4().hex}")
    assert author.status_favourited_by(post.id) == [] and author.status_reblogged_by(post.id) == []
    fan.status_favourite(post.id)
    fan.status_reblog(post.id)
    fan_id = fan.account_verify_credentials().id
    assert [account.id for account in author.status_favourited_by(post.id)] == [fan_id]
    assert [account.id for account in author.status_reblogged_by(post.id)] == [fan_id]
    assert [account.id for account in Mastodon(api_base_url=base).status_favourited_by(post.id)] == [fan_id]
    author.status_delete(post.id)
elif check == "limits":
    poster_name, target = names
    poster = client(poster_name, ["read", "write", "follow"])
    posted = 0
    try:
        while posted < 400:
            poster.status_post(f"number {posted}", visibility="private")
            posted += 1
    except MastodonRatelimitError:
        pass
    assert posted == 300, f"{posted} statuses before the limit, not 300"
    answer = requests.post(f"{base}/api/v1/statuses", headers={"Authorization": f"Bearer {poster.access_token}"},
                           data={"status": "one more", "visibility": "private"})
    assert answer.status_code == 429, answer.status_code
    assert int(answer.headers["Retry-After"]) > 0 and answer.headers["X-RateLimit-Limit"] == "300"
    assert answer.headers["X-RateLimit-Remaining"] == "0" and "T" in answer.headers["X-RateLimit-Reset"]
    assert "error" in answer.json()
    follows = 0
    try:
        while follows < 500:
            poster.account_follow(target)
            follows += 1
            poster.account_unfollow(target)
    except MastodonRatelimitError:
        pass
    assert follows == 400, f"{follows} follows before the limit, not 400"
else:
    raise SystemExit(f"unknown check {check}")
print("ok")
