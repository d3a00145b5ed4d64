"""Drives the web UI in headless Chromium (the system's) with Playwright, as a person would.

Usage: python3 web_browser.py BASE_URL PAID_EPISODE SCREENSHOT_DIR
A subscriber signs in through the form, opens an episode, the video reaches HAVE_FUTURE_DATA
and its time advances (also after switching quality); posts a truth from the feed page and sees
it; a non-subscriber sees the subscribe prompt and no playable source. Saves a screenshot of
every page (desktop and 360 px wide) into SCREENSHOT_DIR. Prints "ok" at the end.
"""
import os
import sys
import time

from playwright.sync_api import expect, sync_playwright

base, paid, shots = sys.argv[1:4]
os.makedirs(shots, exist_ok=True)
PASSWORD = "correct-horse-1"
CHROMIUM = os.environ.get("VERITAS_CHROMIUM", "/usr/bin/chromium")


def shot(page, name):
    path = os.path.join(shots, name + ".png")
    page.screenshot(path=path, full_page=True)
    print("screenshot", path)


def sign_in(page, user):
    page.goto(base + "/login")
    page.get_by_label("E-mail or username").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


def playing(page, label):
    """Waits until the video can play on and its clock moves."""
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.readyState >= 3; }", timeout=30000)
    start = page.evaluate("() => document.querySelector('video').currentTime")
    page.wait_for_function(
        f"() => document.querySelector('video').currentTime > {start} + 1", timeout=30000)
    state = page.evaluate("() => { const v = document.querySelector('video'); return [v.readyState, v.currentTime, v.currentSrc]; }")
    print(label, "readyState", state[0], "currentTime", round(state[1], 2))
    return state


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--autoplay-policy=no-user-gesture-required", "--no-sandbox", "--disable-gpu"])

    # A subscriber: sign in, browse, watch, switch quality, post.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base + "/")
    shot(page, "01-home-signed-out")
    sign_in(page, "alice")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Feed")).to_be_visible()
    shot(page, "02-home")
    page.get_by_role("link", name="Tonight").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tonight")
    shot(page, "03-show")

    page.goto(base + f"/episodes/{paid}")
    video = page.locator("video")
    expect(video).to_have_count(1)
    engine = page.locator(".player").get_attribute("data-engine")
    print("engine", engine)
    assert engine in ("native", "videojs"), engine
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play().catch(() => {}); }")
    playing(page, "auto")
    options = page.locator("#quality option").all_text_contents()
    print("qualities", options)
    assert options[0] == "Auto" and len(options) >= 2, options
    page.select_option("#quality", label=options[-1])
    page.wait_for_function("() => document.querySelector('video').currentSrc.includes('master-') || document.querySelector('.player').dataset.engine === 'videojs'")
    _, _, source = playing(page, options[-1])
    assert engine == "videojs" or "master-" + options[-1] in source, source
    time_text = page.locator("#time").text_content()
    assert " / " in time_text and not time_text.startswith("0:00 /"), time_text
    page.locator("video").focus()
    page.keyboard.press("k")
    page.wait_for_function("() => document.querySelector('video').paused")
    page.evaluate("() => { document.querySelector('video').currentTime = 2; }")
    time.sleep(0.5)
    shot(page, "04-episode-playing")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feed").click()
    text = f"Watching Paid in the browser {int(time.time())} #veritas"
    page.get_by_label("Your truth").fill(text)
    page.get_by_role("button", name="Post truth").click()
    truth = page.locator("article.truth", has_text=text)
    expect(truth).to_have_count(1)
    truth.get_by_role("button", name="Like").click()
    truth = page.locator("article.truth", has_text=text)
    expect(truth.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
    truth.locator("summary", has_text="Reply").click()
    truth.get_by_role("textbox").fill("@alice replying from the page")
    truth.get_by_role("button", name="Post reply").click()
    expect(page.locator("article.truth", has_text="replying from the page")).to_have_count(1)
    # Following the show brings its episode announcement, with its poster, into the home feed.
    page.goto(base + "/shows/tonight")
    page.get_by_role("button", name="Follow in your feed").click()
    expect(page.get_by_role("button", name="Following in your feed")).to_be_visible()
    page.goto(base + "/feed")
    announcement = page.locator("article.announcement", has_text="New episode of Tonight")
    expect(announcement).to_have_count(1)
    expect(announcement.get_by_role("img", name="Poster of Paid")).to_be_visible()
    shot(page, "05-feed")
    page.goto(base + "/account")
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    assert "/podcasts/private/" in page.content()
    shot(page, "06-account")

    # The same pages on a 360 px wide phone: nothing wider than the screen.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, storage_state=context.storage_state())
    small = phone.new_page()
    for path, name in [("/", "07-phone-home"), ("/feed", "08-phone-feed"), (f"/episodes/{paid}", "09-phone-episode"), ("/account", "10-phone-account")]:
        small.goto(base + path)
        width = small.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360px"
        shot(small, name)
    phone.close()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    context.close()

    # A browser without native HLS gets the installed video.js (its HLS engine) instead.
    plain = browser.new_context(viewport={"width": 1280, "height": 800})
    # Only the page's own question to its <video id="player"> is answered "no": video.js asks
    # the browser too when it loads, and must keep getting true answers to work as it would.
    plain.add_init_script("""
        const original = HTMLMediaElement.prototype.canPlayType;
        HTMLMediaElement.prototype.canPlayType = function (type) {
            return this.id === "player" && /mpegurl/i.test(type) ? "" : original.call(this, type);
        };
    """)
    page = plain.new_page()
    sign_in(page, "alice")
    page.goto(base + f"/episodes/{paid}")
    expect(page.locator(".player")).to_have_attribute("data-engine", "videojs")
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play().catch(() => {}); }")
    playing(page, "video.js auto")
    page.select_option("#quality", label=options[-1])
    playing(page, "video.js " + options[-1])
    shot(page, "12-episode-videojs")
    plain.close()

    # Someone without a subscription: the poster and the plans, never a playable source.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, "bob")
    page.goto(base + f"/episodes/{paid}")
    expect(page.get_by_role("heading", name="Subscribe to watch this episode")).to_be_visible()
    expect(page.locator("video")).to_have_count(0)
    assert "/play/" not in page.content()
    expect(page.get_by_role("img", name="Poster of Paid")).to_be_visible()
    shot(page, "11-episode-subscribe")
    page.goto(base + "/login")
    context.close()
    browser.close()
print("ok")
