#!/usr/bin/python3
"""The live view (`--view`) in a real browser: headless Chromium, driven over the DevTools
protocol, opens the page while BoxLab takes a lab, and the checks read the page as it
was rendered: each step's entry, the pictures after each step (the bridge appears after
the step that makes it, a veth end is drawn inside its namespace's box, the overlay's
layers are stacked in order), the presenter's notes in demo mode, a change made in
`boxlab shell` reaching the page with no step at all. Every lab runs in batch with the
page open, and leaves a screenshot in .build/view-screenshots/LAB.png.

Run as root inside a BoxLab sandbox (scripts/test does); needs chromium and
python3-websocket (scripts/setup). Prints "N passed, M failed"; exits 1 on a failure.
Usage: browser-test.py [LAB|repl|serving...]   (default: every lab in labs/, the REPL's modes,
then what the server serves)
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import websocket

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOXLAB = os.path.join(REPO, ".build", "debug", "boxlab")
ARTIFACTS = os.path.join(REPO, ".build", "view-screenshots")
BASE = tempfile.mkdtemp(prefix="boxlab-test-view.")
ENV = dict(os.environ, BOXLAB_RUN_DIR=BASE + "/run", BOXLAB_STATE_DIR=BASE + "/state",
           BOXLAB_LABS=os.path.join(REPO, "labs"), NO_COLOR="1")
ENV.pop("BOXLAB_SANDBOX_NS", None)
passed = failed = 0


def check(condition, description, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {description}" + (f": {detail}" if detail else ""), file=sys.stderr, flush=True)
    return condition


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Page:
    """One tab, spoken to over the DevTools protocol."""

    def __init__(self, url):
        self.socket = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        return None

    def open(self, url):
        self.call("Page.navigate", url=url)
        return self.wait("document.readyState === 'complete' && !!window.boxlabView", 20)

    def screenshot(self, path):
        self.call("Page.bringToFront")  # a tab behind another paints no frame to capture
        data = self.call("Page.captureScreenshot", format="png")["data"]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))


class Browser:
    """Headless Chromium with its DevTools port on loopback."""

    def __init__(self):
        self.profile = os.path.join(BASE, "chromium")
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
             "--disable-default-apps", "--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
             "--window-size=1600,1000", f"--user-data-dir={self.profile}", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active = os.path.join(self.profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(active) and len(open(active).read().split()) == 2:
                break
            time.sleep(0.1)
        self.port = int(open(active).read().split()[0])

    def page(self):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        target = json.load(urllib.request.urlopen(request, timeout=10))
        return Page(target["webSocketDebuggerUrl"])

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def start(arguments, stdin=None):
    """Starts boxlab with its view on a free port; returns the process and the page's address."""
    process = subprocess.Popen([BOXLAB] + arguments + ["--view-listen", f"127.0.0.1:{free_port()}"], env=ENV, cwd=REPO,
                               stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    for line in process.stdout:
        if line.startswith("view: http"):
            return process, line.split()[1]
    raise RuntimeError(f"boxlab {' '.join(arguments)} printed no view address (exit {process.wait()})")


# The page, asked in its own terms: the updates it holds, and what a picture shows.
UPDATES = "window.boxlabView.updates.map(u => ({seq: u.seq, step: u.step, label: u.label, pictures: u.pictures.length}))"


def picture_query(seq, selector):
    """The rectangles, as rendered, of what `selector` finds in the pictures shown after update `seq`."""
    return f"""(() => {{
        window.boxlabView.show({seq});
        return [...document.querySelectorAll('#picture-list {selector}')].map(e => {{
            const r = e.getBoundingClientRect();
            return {{id: e.dataset.id, role: e.dataset.role, order: e.dataset.order, kind: e.dataset.kind,
                     x: r.x, y: r.y, right: r.right, bottom: r.bottom}};
        }});
    }})()"""


def inside(inner, outer):
    return inner["x"] >= outer["x"] and inner["right"] <= outer["right"] and inner["y"] >= outer["y"] and inner["bottom"] <= outer["bottom"]


def update_after(updates, label):
    return next((u for u in updates if u["label"] == label), None)


def status_of(url, host=None):
    """The HTTP status of GET url (with another Host header when given); None when refused."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        return urllib.request.urlopen(request, timeout=5).status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError):
        return None


def batch(browser, lab, extra=()):
    page = browser.page()
    process, url = start(["run", lab, *extra])
    check(page.open(url), f"{lab}: the page loads from {url}")
    output = process.stdout.read()
    check(process.wait() == 0, f"{lab}: boxlab run --view passes", output[-2000:])
    check(page.wait("document.body.dataset.ended === 'true'", 30), f"{lab}: the page says the session ended")
    updates = page.evaluate(UPDATES)
    steps = [u for u in updates if u["label"].startswith("step ")]
    entries = page.evaluate("[...document.querySelectorAll('#timeline li')].filter(li => li.dataset.label.startsWith('step ')).map(li => li.className)")
    check(len(entries) > 0 and all("passed" in c for c in entries), f"{lab}: every step's entry is shown passed", str(entries))
    check(len(steps) == len(entries) and all(u["pictures"] == 4 for u in steps), f"{lab}: every step brought its four pictures", str(updates))
    check(updates and updates[0]["label"] == "when the page opened", f"{lab}: the page showed the state before the first step", str(updates[:1]))
    shown = page.evaluate("[...document.querySelectorAll('#timeline li pre')].map(p => p.textContent).join('')")
    check(shown is not None and "$ " in shown and ") = " in shown, f"{lab}: the entries show commands and their system calls", str(shown)[:200])
    page.evaluate(f"window.boxlabView.show({updates[-1]['seq']}); window.scrollTo(0, 0); true")
    page.screenshot(os.path.join(ARTIFACTS, lab + "".join(extra).replace("--", "-") + ".png"))
    return page, updates


def serving(browser):
    """What the server serves and to whom, large type, and the address already taken."""
    page = browser.page()
    process, url = start(["run", "01-namespaces", "--view-large"])
    check(status_of(url + "etc/passwd") == 404 and status_of(url + "../../etc/passwd") == 404 and status_of(url + "view.js") == 200,
          "view: serves its own files and nothing else")
    check(status_of(url, host="rebound.example:80") == 403, "view: a request naming another host (DNS rebinding) is refused")
    check(page.open(url), "view: the page loads")
    process.stdout.read()
    check(process.wait() == 0, "view: 01-namespaces passes with --view-large")
    check(page.evaluate("document.body.classList.contains('large')"), "--view-large: the page's type is large")
    sizes = page.evaluate("[...document.querySelectorAll('#picture-list svg text')].slice(0, 3).map(t => getComputedStyle(t).fontSize)")
    check(sizes and all(size == "22px" for size in sizes), "--view-large: the pictures are drawn in 22px type", str(sizes))
    check(status_of(url) is None, "view: the server stops with the session")
    # The address taken: one line naming it and the fix, nothing made.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = subprocess.run([BOXLAB, "run", "01-namespaces", "--view-listen", f"127.0.0.1:{port}"], env=ENV, cwd=REPO,
                                 capture_output=True, text=True)
    lines = refused.stderr.strip().split("\n")
    check(refused.returncode == 1 and len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0] and "--view-listen" in lines[0],
          "view: an address already taken is one line naming it and the fix", refused.stderr)
    # With --host there is no supervisor: the server runs in the session's own process.
    page, updates = batch(browser, "04-veth", ["--host"])
    check(len(page.evaluate(picture_query(update_after(updates, "step 3")["seq"], '[data-id="ns:red"] [data-id="link:red/eth0"]'))) == 1,
          "--host: the page follows a session on the host too")
    bad = subprocess.run([BOXLAB, "run", "01-namespaces", "--view-listen", "not an address"], env=ENV, capture_output=True, text=True)
    check(bad.returncode != 0 and "view-listen" in bad.stderr, "view: a malformed address is refused", bad.stderr)


def veth_moves(browser):
    page, updates = batch(browser, "04-veth")
    made, moved = update_after(updates, "step 2"), update_after(updates, "step 3")
    ends = page.evaluate(picture_query(made["seq"], '[data-id="link:host/veth-red"]'))
    check(len(ends) == 1, "04-veth: after step 2 the veth end is in the host's box", str(ends))
    red = page.evaluate(picture_query(moved["seq"], '[data-id="ns:red"]'))
    end = page.evaluate(picture_query(moved["seq"], '[data-id="ns:red"] [data-id="link:red/eth0"]'))
    gone = page.evaluate(picture_query(moved["seq"], '[data-id="link:host/veth-red"]'))
    check(len(red) == 1 and len(end) == 1 and inside(end[0], red[0]), "04-veth: after step 3 the end, renamed eth0, is drawn inside red's box", f"{red} {end}")
    check(gone == [], "04-veth: and no longer in the host's", str(gone))


def bridge_appears(browser):
    page, updates = batch(browser, "05-bridge")
    before = page.evaluate(picture_query(updates[0]["seq"], '[data-kind="bridge"]'))
    after = page.evaluate(picture_query(update_after(updates, "step 1")["seq"], '[data-kind="bridge"][data-id="link:host/docker0"]'))
    check(before == [], "05-bridge: no bridge before step 1", str(before))
    check(len(after) == 1, "05-bridge: docker0 appears after step 1, the step that makes it", str(after))
    ports = page.evaluate(picture_query(update_after(updates, "step 3")["seq"], '[data-kind="veth"]'))
    check(len(ports) >= 6, "05-bridge: after step 3 three cables' six ends are drawn", str(ports))


def overlay_stacked(browser, lab):
    page, updates = batch(browser, lab)
    for update in updates:
        layers = page.evaluate(picture_query(update["seq"], '[data-kind="layer"]'))
        if layers:
            break
    check(bool(layers), f"{lab}: an overlay's layers are drawn", str(updates))
    if not layers:
        return
    by_role = {}
    for layer in layers:
        by_role.setdefault(layer["role"], []).append(layer)
    lowers = sorted(by_role.get("lower", []), key=lambda l: int(l["order"]))
    check(by_role.get("merged") and by_role.get("upper") and lowers, f"{lab}: merged, upper and lower layers are drawn", str(layers))
    if by_role.get("merged") and by_role.get("upper") and lowers:
        stack = [by_role["merged"][0], by_role["upper"][0]] + lowers
        tops = [layer["y"] for layer in stack]
        check(tops == sorted(tops) and len(set(tops)) == len(tops), f"{lab}: merged over upper over the lower layers in their order, top to bottom", str(stack))


def type_in(process, lines):
    """Lines typed at the REPL's prompt."""
    process.stdin.write(lines)
    process.stdin.flush()


def repl_modes(browser):
    """The REPL with a page open: guided, demo (the notes, on the page and on /notes), exercise
    (a line typed at the prompt, and a mount made in `boxlab shell` with no step at all)."""
    page = browser.page()
    process, url = start(["02-overlayfs", "--restart", "--mode", "demo"], stdin=True)
    check(page.open(url), "REPL: the page loads")
    notes = browser.page()
    check(notes.open(url + "notes"), "REPL: the presenter's page loads")
    check(page.wait("!document.getElementById('notes').hidden && document.getElementById('note-list').textContent.includes('three system calls')"),
          "demo: the page shows step 1's presenter note")
    check(notes.wait("document.getElementById('note-list').textContent.includes('three system calls')"),
          "demo: /notes shows the presenter note")
    type_in(process, "next\n")
    check(page.wait("window.boxlabView.updates.some(u => u.label === 'step 1')"), "guided: step 1's entry and pictures arrive")
    check(notes.wait("document.getElementById('step-title').textContent.startsWith('Step 2')"), "demo: /notes follows to step 2")
    # goto forwards performs steps 2 and 3; the page gets their entries and the overlay.
    type_in(process, "goto 4\n")
    check(page.wait("document.getElementById('position').textContent === 'step 4 of 8'"), "goto 4: the page follows to step 4")
    check(page.wait("window.boxlabView.updates.some(u => u.label === 'step 3') && document.querySelector('#picture-list [data-kind=\"overlay\"]') !== null"),
          "goto 4: steps 2 and 3 performed on the way, the overlay in the pictures")
    # goto backwards wipes and replays step 1 only: the overlay is gone from the page.
    type_in(process, "goto 2\n")
    check(page.wait("document.getElementById('position').textContent === 'step 2 of 8'"), "goto 2: the page follows back to step 2")
    check(page.wait("document.querySelector('#picture-list [data-kind=\"overlay\"]') === null"), "goto 2: the overlay is gone from the pictures")
    check(notes.wait("document.getElementById('step-title').textContent.startsWith('Step 2')"), "goto 2: /notes follows back too")
    type_in(process, "mode exercise\nmkdir probe\n")
    check(page.wait("document.getElementById('mode').textContent === 'exercise mode'"), "exercise: the page knows the mode")
    check(page.wait("[...document.querySelectorAll('#timeline li')].some(li => li.dataset.label === '$ mkdir probe')"),
          "exercise: a line typed at the prompt has its entry")
    shell = subprocess.run([BOXLAB, "shell", "-c", "mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work,userxattr merged "
                            "|| mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged"],
                           env=ENV, capture_output=True, text=True)
    check(shell.returncode == 0, "exercise: mount in boxlab shell", shell.stdout + shell.stderr)
    check(page.wait("document.querySelector('#picture-list [data-kind=\"overlay\"]') !== null", 10),
          "exercise: the overlay mounted in another shell appears on the page without a step")
    page.screenshot(os.path.join(ARTIFACTS, "repl-exercise.png"))
    type_in(process, "check\nquit\n")
    output = process.stdout.read()
    check(process.wait() == 0, "REPL: quits", output[-1500:])
    check(page.wait("document.body.dataset.ended === 'true'"), "REPL: the page says the session ended")


def main():
    labs = sys.argv[1:] or sorted(name[:-3] for name in os.listdir(os.path.join(REPO, "labs")) if name.endswith(".md")) + ["repl", "serving"]
    browser = Browser()
    try:
        for lab in labs:
            started = time.time()
            if lab == "repl":
                repl_modes(browser)
            elif lab == "serving":
                serving(browser)
            elif lab == "04-veth":
                veth_moves(browser)
            elif lab == "05-bridge":
                bridge_appears(browser)
            elif lab in ("02-overlayfs", "03-image-layers"):
                overlay_stacked(browser, lab)
            else:
                batch(browser, lab)
            print(f"view: {lab} in {time.time() - started:.1f} s", flush=True)
    finally:
        browser.close()
        subprocess.run([BOXLAB, "reset"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(BASE, ignore_errors=True)
    print(f"view: {passed} passed, {failed} failed; screenshots in {ARTIFACTS}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
