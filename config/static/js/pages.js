// Behaviour of the server-rendered pages: confirmations, drag-and-drop uploads, and live
// regions that are re-fetched from the server when something changes (live.js streams).
(function () {
  "use strict";

  // The page's own address. A form that failed is shown at its POST address
  // (/cases/5/rules/); the page names its real one (<body data-canonical>) and the address bar
  // shows that, so a reload or the live refresh below GETs the page, never re-posts.
  var canonical = document.body.getAttribute("data-canonical");
  if (canonical && canonical !== window.location.pathname + window.location.search) {
    window.history.replaceState(null, "", canonical + window.location.hash);
  }

  // Irreversible actions: <form data-confirm="…"> asks before it is sent, but only once its
  // fields are filled in as required; a form that is not goes to the server unasked, which
  // names what is missing beside the fields (and nothing is done).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // A button may carry its own question (a form with two decisions, one irreversible).
    var submitter = event.submitter;
    var message = submitter && submitter.hasAttribute("data-confirm")
      ? submitter.getAttribute("data-confirm")
      : form.getAttribute("data-confirm");
    if (!message || !form.checkValidity()) return;
    if (!window.confirm(message)) event.preventDefault();
  });

  // Behaviour the templates ask for with data- attributes instead of inline handlers and
  // style attributes, which the Content-Security-Policy refuses (docs/security.md).
  // <select data-autosubmit>: choosing sends its form (the language switch).
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });
  // <button data-print>: prints the page (the minutes).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // <span data-percent="40"> inside a progress bar: its width, set through the CSSOM.
  function sizeBars() {
    document.querySelectorAll("[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.getAttribute("data-percent")) || 0)) + "%";
    });
  }
  sizeBars();
  document.addEventListener("live:refreshed", sizeBars);

  // Tables that turn into cards on phones name each cell after its column (data-label, shown
  // by the stylesheet); templates may set it themselves, the rest are named here.
  function labelCells() {
    document.querySelectorAll("table.responsive").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (heads[index] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[index]);
          }
        });
      });
    });
  }
  labelCells();
  document.addEventListener("live:refreshed", labelCells);

  // <div class="dropzone" data-input="id">: dropped files go into that file input.
  document.querySelectorAll(".dropzone").forEach(function (zone) {
    var input = document.getElementById(zone.getAttribute("data-input"));
    var list = zone.querySelector(".chosen");
    function show() {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      if (list) list.textContent = names.join("、");
    }
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("over");
      var files = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { files.items.add(f); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (f) { files.items.add(f); });
      input.files = files.files;
      show();
    });
    input.addEventListener("change", show);
  });

  // Regions marked data-live="name" are replaced by the same regions of a fresh copy of the
  // page. A region holding an open form is left alone, so nobody loses what they are typing.
  var pending = null;
  function refresh() {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      fetch(canonical || window.location.pathname + window.location.search, { credentials: "same-origin", headers: { "X-Live": "1" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          document.querySelectorAll("[data-live]").forEach(function (region) {
            var name = region.getAttribute("data-live");
            var next = fresh.querySelector('[data-live="' + name + '"]');
            // A folded group of the timeline (details.tl-fold) holds no form: it is refreshed,
            // and whatever the reader had unfolded stays unfolded.
            if (!next || region.querySelector("details[open]:not(.tl-fold)")) return;
            var unfolded = Array.prototype.map.call(
              region.querySelectorAll("details.tl-fold[open]"), function (d) { return d.id; });
            region.innerHTML = next.innerHTML;
            unfolded.forEach(function (id) {
              var fold = document.getElementById(id);
              if (fold) fold.open = true;
            });
          });
          document.dispatchEvent(new CustomEvent("live:refreshed"));
        });
    }, 250);
  }

  function status(state) {
    var badge = document.querySelector(".live-status");
    if (badge) badge.setAttribute("data-state", state);
  }

  var body = document.body;
  if (!window.ShenliantiLive || !body.hasAttribute("data-user")) return;

  var count = document.querySelector("#unread-count");
  window.ShenliantiLive.connect("/ws/inbox/", {
    on: {
      notification: function () {
        if (count) {
          var n = parseInt(count.getAttribute("data-count"), 10) + 1;
          count.setAttribute("data-count", String(n));
          count.textContent = String(n);
        }
        if (body.hasAttribute("data-refresh-on-notification")) refresh();
      },
      // Read in another tab or on another device: show what is still unread.
      notifications_read: function (message) {
        if (count) {
          count.setAttribute("data-count", String(message.unread));
          count.textContent = String(message.unread);
        }
      },
    },
  });

  var stream = body.getAttribute("data-stream");
  if (stream) {
    var since = body.getAttribute("data-since");
    window.ShenliantiLive.connect(stream, {
      since: since ? parseInt(since, 10) : null,
      on: {
        event: refresh,
        session: refresh,
        replay_done: function () { status("open"); },
      },
      onclose: function () { status("closed"); },
    });
    status("open");
  }
})();
