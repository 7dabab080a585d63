/* The live strip (#live) and the map's figures (#map-data): one server-sent event stream
   each (reporting/live_stream.py), which sends the fragment again whenever its figures
   change; without a stream (LIVE_STREAM off, or no EventSource) the page polls the cached fragment every 3 s instead (204
   while unchanged). */
(function () {
  "use strict";

  function swap(id, html) {
    var current = document.getElementById(id);
    var box = document.createElement("div");
    box.innerHTML = html.trim();
    var fresh = box.firstElementChild;
    if (current && fresh && fresh.id === id) {
      current.replaceWith(fresh);
    }
  }

  function poll(id) {
    var el = document.getElementById(id);
    if (!el) { return; }
    fetch(el.getAttribute("data-poll"), { credentials: "same-origin" })
      .then(function (answer) { return answer.status === 200 ? answer.text() : null; })
      .then(function (html) { if (html) { swap(id, html); } })
      .catch(function () { return null; })
      .then(function () { window.setTimeout(function () { poll(id); }, 3000); });
  }

  function follow(id) {
    var el = document.getElementById(id);
    if (!el) { return; }
    if (!el.getAttribute("data-stream") || !window.EventSource) {
      window.setTimeout(function () { poll(id); }, 3000);
      return;
    }
    var source = new EventSource(el.getAttribute("data-stream"));
    source.addEventListener("live", function (event) { swap(id, event.data); });
    // Refused for good (signed out, no longer allowed, the stream turned off): poll instead.
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) { poll(id); }
    });
  }

  function start() {
    follow("live");
    follow("map-data");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
