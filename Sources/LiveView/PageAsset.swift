/// The view's own files, compiled in: the server has no other to serve, and nothing to
/// install beside the binary.
struct PageAsset: Sendable {
    var path: String
    var type: String
    var text: String

    static let all = [
        PageAsset(path: "/", type: "text/html; charset=utf-8", text: page),
        // The presenter's notes, following the session on a second screen.
        PageAsset(path: "/notes", type: "text/html; charset=utf-8", text: page),
        PageAsset(path: "/view.css", type: "text/css; charset=utf-8", text: style),
        PageAsset(path: "/view.js", type: "text/javascript; charset=utf-8", text: script),
    ]

    /// Scripts only from the page's own file, so nothing in a picture's text could run; the
    /// pictures' SVG carries its own style.
    static let policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"

    static let page = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>BoxLab live view</title>
    <link rel="stylesheet" href="/view.css">
    </head>
    <body>
    <header>
      <strong id="lab">BoxLab</strong>
      <span id="position"></span>
      <span id="mode"></span>
      <span id="status">connecting…</span>
      <button id="follow" hidden>follow the session</button>
      <button id="bigger" title="larger type for a projector">A+</button>
    </header>
    <main>
      <section id="story">
        <article id="now"><h2 id="step-title"></h2><pre id="step-prose"></pre></article>
        <aside id="notes" hidden><h3>presenter notes</h3><ul id="note-list"></ul></aside>
        <ol id="timeline"></ol>
      </section>
      <section id="pictures">
        <p id="showing">the pictures appear while this page is open, after each step</p>
        <div id="picture-list"></div>
      </section>
    </main>
    <script src="/view.js"></script>
    </body>
    </html>
    """

    static let style = """
    :root { --fg: #1d2330; --dim: #6b7280; --bg: #fbfbfa; --card: #fff; --line: #d9dce1; --accent: #e8710a; --ok: #137333; --bad: #c5221f; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
    body.large { font-size: 22px; }
    header { position: sticky; top: 0; z-index: 1; display: flex; gap: 1em; align-items: baseline; padding: .5em 1em; background: #1d2330; color: #fff; }
    header #status { margin-left: auto; color: #c8ccd4; }
    header button { font: inherit; }
    main { display: grid; grid-template-columns: minmax(22em, 2fr) 3fr; gap: 1em; padding: 1em; align-items: start; }
    #now { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5em 1em; }
    #now h2 { margin: .2em 0; font-size: 1.2em; }
    pre { white-space: pre-wrap; word-break: break-word; font: .85em/1.4 ui-monospace, monospace; margin: .3em 0; }
    #notes { background: #fff7e6; border: 1px solid #f3c26b; border-radius: 6px; padding: .3em 1em; margin-top: .8em; }
    #timeline { list-style: none; padding: 0; margin: .8em 0 0; }
    #timeline li { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 4px; margin-bottom: .5em; padding: .3em .7em; cursor: pointer; }
    #timeline li.passed { border-left-color: var(--ok); }
    #timeline li.failed { border-left-color: var(--bad); }
    #timeline li.shown { outline: 2px solid var(--accent); }
    #timeline summary { font-weight: 600; margin: .2em 0; }
    #pictures { position: sticky; top: 3em; align-self: start; max-height: calc(100vh - 4em); overflow-y: auto; }
    .command { color: #0b57d0; font-weight: 600; }
    .trace { color: var(--dim); }
    .change { color: #9a6700; }
    .success { color: var(--ok); }
    .failure { color: var(--bad); }
    .note { color: #8430ce; }
    #showing { color: var(--dim); margin: 0 0 .5em; }
    #picture-list figure { margin: 0 0 1em; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5em; overflow-x: auto; }
    #picture-list figcaption { font-weight: 600; margin-bottom: .3em; }
    #picture-list svg { max-width: 100%; height: auto; }
    body.presenter main { display: block; }
    body.presenter #pictures, body.presenter #timeline, body.presenter #step-prose { display: none; }
    body.presenter #notes { display: block; font-size: 1.6em; }
    """

    static let script = """
    "use strict";
    // Follows the session over /live: each message is one JSON object (see ViewMessage).
    const presenter = location.pathname === "/notes";
    const updates = [];        // {seq, step, label, pictures}, in order
    let lab = null, mode = "guided", following = true, shownSeq = null, socket = null;
    const $ = (id) => document.getElementById(id);
    if (presenter) document.body.classList.add("presenter");

    function text(tag, content, className) {
      const element = document.createElement(tag);
      element.textContent = content;
      if (className) element.className = className;
      return element;
    }

    function showNotes(notes) {
      const list = $("note-list");
      list.replaceChildren(...(notes || []).map((note) => text("li", note)));
      if (!notes || notes.length === 0) list.replaceChildren(text("li", "no notes for this step"));
      $("notes").hidden = !(presenter || mode === "demo");
    }

    function setMode(newMode) {
      mode = newMode;
      $("mode").textContent = mode + " mode";
      $("notes").hidden = !(presenter || mode === "demo");
    }

    function showPictures(update) {
      shownSeq = update.seq;
      const list = $("picture-list");
      list.replaceChildren();
      for (const picture of update.pictures) {
        const figure = document.createElement("figure");
        figure.dataset.kind = picture.kind;
        figure.appendChild(text("figcaption", picture.title));
        // BoxLab drew the SVG and escaped every name in it; the page's policy runs no script in it.
        const holder = document.createElement("div");
        holder.innerHTML = picture.svg;
        figure.appendChild(holder);
        list.appendChild(figure);
      }
      $("showing").textContent = following ? "now, after " + update.label : "as it was after " + update.label + " (step " + update.step + ")";
      for (const item of document.querySelectorAll("#timeline li")) item.classList.toggle("shown", Number(item.dataset.seq) === update.seq);
      $("follow").hidden = following;
    }

    // Shows the pictures as they were after update `seq` (the timeline's entries call it).
    function show(seq) {
      const update = updates.find((u) => u.seq === seq);
      if (!update) return false;
      following = seq === updates[updates.length - 1].seq;
      showPictures(update);
      return true;
    }

    function acknowledge(seq) {
      // Acknowledged once drawn: after the next frame is painted.
      requestAnimationFrame(() => setTimeout(() => { if (socket && socket.readyState === 1) socket.send(JSON.stringify({ ack: seq })); }, 0));
    }

    // The newest entry is open; older ones fold to their heading (a click on one shows the
    // pictures as they were after it).
    function addEntry(message, label, lines, passed) {
      for (const open of document.querySelectorAll("#timeline details[open]")) open.open = false;
      const item = document.createElement("li");
      item.dataset.seq = message.seq;
      item.dataset.step = message.report ? message.report.step : "";
      item.dataset.label = label;
      if (passed === true) item.classList.add("passed");
      if (passed === false) item.classList.add("failed");
      const details = document.createElement("details");
      details.open = true;
      details.appendChild(text("summary", label));
      const pre = document.createElement("pre");
      for (const line of lines) pre.append(text("span", line.text + "\\n", line.style));
      details.appendChild(pre);
      item.appendChild(details);
      item.addEventListener("click", () => show(message.seq));
      $("timeline").prepend(item);
    }

    const handlers = {
      lab(message) {
        lab = message.lab;
        $("lab").textContent = lab.id + ": " + lab.title;
        document.title = "BoxLab — " + lab.id;
        if (message.large) document.body.classList.add("large");
        setMode(message.mode);
      },
      mode(message) { setMode(message.mode); },
      step(message) {
        const step = message.step;
        $("position").textContent = lab ? "step " + step.number + " of " + lab.steps.length : "step " + step.number;
        $("step-title").textContent = "Step " + step.number + ": " + step.title;
        $("step-prose").textContent = step.prose || "";
        document.body.dataset.step = step.number;
        showNotes(step.notes);
      },
      report(message) {
        const report = message.report;
        addEntry(message, report.label, report.lines, report.passed);
        this.pictures(message, report.label, report.step);
      },
      scene(message) {
        addEntry(message, message.label, [], undefined);
        this.pictures(message, message.label, Number(document.body.dataset.step || 0));
      },
      pictures(message, label, step) {
        if (message.pictures) {
          updates.push({ seq: message.seq, step: step, label: label, pictures: message.pictures });
          if (following) showPictures(updates[updates.length - 1]);
        }
        document.body.dataset.seq = message.seq;
        acknowledge(message.seq);
      },
      end() {
        $("status").textContent = "the session has ended";
        document.body.dataset.ended = "true";
      },
    };

    function connect() {
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/live");
      socket.onopen = () => { $("status").textContent = "live"; };
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        const handler = handlers[message.kind];
        if (handler) handler.call(handlers, message);
      };
      socket.onclose = () => { if (!document.body.dataset.ended) $("status").textContent = "disconnected"; };
    }

    $("bigger").addEventListener("click", () => document.body.classList.toggle("large"));
    $("follow").addEventListener("click", () => { if (updates.length) show(updates[updates.length - 1].seq); });
    window.boxlabView = { show, updates };
    connect();
    """
}
