"""Checks every page of the web UI with Python's own HTML parser and a cookie-keeping client.

Usage: python3 web_pages.py BASE_URL PAID_EPISODE FREE_EPISODE
Every page must parse with balanced tags, have the landmarks, give every image alt text and
every control a label, and put a CSRF token in every form. Forms posted without the token or
with a wrong one answer 403; sign-out revokes the session on the server. Prints "ok" at the end.
"""
import html.parser
import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

base, paid, free = sys.argv[1:4]
PASSWORD = "correct-horse-1"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


class Page(html.parser.HTMLParser):
    """Collects what the checks need and any unbalanced tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids = [], [], []
        self.tags, self.images, self.controls, self.labels, self.forms = [], [], [], set(), []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "img":
            self.images.append(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": []})
        if tag == "input" and self.forms and "form" in self.stack:
            self.forms[-1]["fields"].append(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


class Client:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            response = self.opener.open(base + path, data=data)
            return response.status, response.geturl(), response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(), error.headers

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def csrf(self, path):
        status, _, body, _ = self.request(path)
        found = re.search(r'name="csrf_token" value="([^"]+)"', body)
        check(found is not None, f"{path}: no csrf_token")
        return found.group(1) if found else ""

    def sign_in(self, user):
        token = self.csrf("/login")
        status, url, _, _ = self.request("/login", {"username": user, "password": PASSWORD, "csrf_token": token, "next": "/"})
        check(status == 200 and url.rstrip("/") == base, f"sign-in of {user} ended at {status} {url}")


def audit(client, path, expect=200):
    status, url, body, headers = client.request(path)
    check(status == expect, f"{path}: status {status}, expected {expect}")
    check(headers.get("Content-Type", "").startswith("text/html"), f"{path}: not HTML")
    page = Page()
    page.feed(body)
    page.close()
    check(not page.errors and not page.stack, f"{path}: unbalanced markup {page.errors} open={page.stack}")
    check(page.html_lang == "en", f"{path}: no <html lang>")
    for landmark in ("header", "nav", "main", "footer"):
        check(landmark in page.tags, f"{path}: no <{landmark}>")
    check(page.tags.count("main") == 1, f"{path}: more than one <main>")
    check(len(page.ids) == len(set(page.ids)), f"{path}: duplicate ids {sorted(i for i in page.ids if page.ids.count(i) > 1)}")
    for image in page.images:
        check(image.get("alt", "").strip() != "", f"{path}: <img src={image.get('src')}> has no alt text")
    for control in page.controls:
        labelled = control.get("id") in page.labels or control.get("aria-label")
        check(labelled, f"{path}: control {control.get('name')} has no label")
    for form in page.forms:
        if form["attrs"].get("method", "get").lower() == "post":
            names = [field.get("name") for field in form["fields"]]
            check("csrf_token" in names, f"{path}: form {form['attrs'].get('action')} has no csrf_token")
    return body


anonymous = Client()
for path in ["/", "/shows/tonight", "/shows/open-air", f"/episodes/{paid}", f"/episodes/{free}", "/login"]:
    audit(anonymous, path)
audit(anonymous, "/shows/no-such-show", expect=404)
audit(anonymous, "/episodes/12345", expect=404)
audit(anonymous, "/episodes/..%2Fetc", expect=404)
locked = audit(anonymous, f"/episodes/{paid}")
check("<video" not in locked and "/play/" not in locked, "a signed-out visitor got a stream")
check("Sign in to watch" in locked, "no sign-in prompt for a signed-out visitor")
status, url, _, _ = anonymous.request("/feed")
check(url.startswith(base + "/login?next="), f"/feed signed out went to {url}")
check(anonymous.request("/login", {"username": "alice", "password": PASSWORD})[0] == 403, "sign-in without a CSRF token was accepted")
check(anonymous.request("/login", {"username": "alice", "password": PASSWORD, "csrf_token": "forged"})[0] == 403, "sign-in with a forged token was accepted")

# The OAuth authorize page has the same frame and checks.
app = urllib.request.urlopen(base + "/api/v1/apps", data=urllib.parse.urlencode({"client_name": "page check", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}).encode())
client_id = re.search(r'"client_id":"([^"]+)"', app.read().decode()).group(1)
audit(anonymous, f"/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob")

# A subscriber.
alice = Client()
alice.sign_in("alice")
session = alice.cookie("veritas_session")
check(session is not None, "no session cookie after sign-in")
for path in ["/", "/shows/tonight", f"/episodes/{paid}", "/feed", "/feed?timeline=public", "/account"]:
    audit(alice, path)
watch = audit(alice, f"/episodes/{paid}")
check("<video" in watch and "/play/" in watch and 'id="quality"' in watch, "a subscriber got no player")
account = audit(alice, "/account")
check("/podcasts/private/" in account and "Active" in account, "the account page lacks the subscription or the private feed")
token = alice.csrf("/feed")
check(alice.request("/feed/statuses", {"status": "no token"})[0] == 403, "posting without a CSRF token was accepted")
check(alice.request("/feed/statuses", {"status": "forged", "csrf_token": token[:-2] + "xx"})[0] == 403, "posting with a wrong token was accepted")
check(alice.request("/logout", {"csrf_token": "forged"})[0] == 403, "sign-out with a forged token was accepted")
status, _, body, _ = alice.request("/feed/statuses", {"status": "<script>alert(1)</script> & web", "visibility": "unlisted", "csrf_token": token})
check(status == 200 and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; web" in body and "<script>alert(1)" not in body, "a posted truth was not escaped")
check(alice.request("/feed/statuses", {"status": "x" * 501, "csrf_token": token})[0] == 422, "an over-long truth was not refused with 422")
check(alice.request("/feed/statuses/999999/favourite", {"csrf_token": token})[0] == 404, "liking an unknown truth was not 404")
check(alice.request("/feed/statuses", {"status": "hi", "visibility": "secret", "csrf_token": token})[0] == 422, "an unknown visibility was not refused")

# Sign-out revokes the session on the server: the old cookie is worth nothing afterwards.
status, url, _, _ = alice.request("/logout", {"csrf_token": token})
check(status == 200 and url.rstrip("/") == base, f"sign-out ended at {status} {url}")
replay = Client()
replay.jar.set_cookie(http.cookiejar.Cookie(
    0, "veritas_session", session, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}))
status, url, _, _ = replay.request("/account")
check(url.startswith(base + "/login"), f"a signed-out session still opened /account ({url})")
api = urllib.request.Request(base + "/api/v1/accounts/verify_credentials", headers={"Authorization": "Bearer " + session})
try:
    urllib.request.urlopen(api)
    check(False, "a signed-out session still works as a bearer token")
except urllib.error.HTTPError as error:
    check(error.code == 401, f"revoked session answered {error.code}")

# The home timeline pages twenty truths at a time, newest first.
# A new account (signed up through the API), so no one else's truths are in its home timeline.
app = json.load(urllib.request.urlopen(base + "/api/v1/apps", data=urllib.parse.urlencode({"client_name": "web pages", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"}).encode()))
grant = json.load(urllib.request.urlopen(base + "/oauth/token", data=urllib.parse.urlencode({
    "grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"]}).encode()))
urllib.request.urlopen(urllib.request.Request(
    base + "/api/v1/accounts", headers={"Authorization": "Bearer " + grant["access_token"]},
    data=urllib.parse.urlencode({"username": "pager", "email": "pager@example.com", "password": PASSWORD, "agreement": "true"}).encode()))
pager = Client()
pager.sign_in("pager")
token = pager.csrf("/feed")
for number in range(1, 23):
    # Followers only: the shared seed's public timeline, which other tests read, stays as it was.
    pager.request("/feed/statuses", {"status": f"pager's truth number {number}.", "visibility": "private", "csrf_token": token})
first = audit(pager, "/feed")
check(first.count('<article class="truth') == 20 and "number 22." in first and "number 3." in first and "number 2." not in first, "the first page is not the newest twenty")
older = re.search(r'href="(/feed\?max_id=\d+)"', first)
check(older is not None, "no link to older truths")
if older:
    second = audit(pager, older.group(1).replace("&amp;", "&"))
    check(second.count('<article class="truth') == 2 and "number 2." in second and "number 1." in second, "the second page is not the oldest two")
    check("Newest" in second, "no way back to the newest truths")

# Someone without a subscription sees what to subscribe to, never a stream.
bob = Client()
bob.sign_in("bob")
locked = audit(bob, f"/episodes/{paid}")
check("<video" not in locked and "/play/" not in locked, "a non-subscriber got a stream")
check("Subscribe to watch" in locked and "Premium" in locked, "no subscribe prompt naming the plan")
check("alt=" in locked and "poster.jpg" in locked, "no poster for a non-subscriber")
audit(bob, "/account")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
