/* The map of counters (reporting/map.html): Leaflet, vendored, over a plain background — no
   tiles, nothing loaded from outside the portal. The markers' data is the JSON block of the
   fragment #map-data, which htmx refreshes every few seconds; the markers follow it. */
(function () {
  "use strict";
  var COLUMNS = 10;
  var STEP_X = 16;
  var STEP_Y = 8;
  var map = null;
  var markers = {};
  var drawn = "";

  function measure() {
    var checked = document.querySelector(".map-measure input:checked");
    return checked ? checked.value : "waiting";
  }

  function measureLabel() {
    var checked = document.querySelector(".map-measure input:checked");
    return checked ? checked.parentNode.textContent.trim() : "";
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function number(value, digits) {
    return value === null || value === undefined ? "—" : value.toFixed(digits).replace(".", ",");
  }

  var VALUES = {
    waiting: function (m) { return m.wait_minutes === null ? "—" : number(m.wait_minutes, 0) + "′"; },
    overdue: function (m) { return String(m.overdue); },
    satisfaction: function (m) { return m.satisfaction === null ? "—" : number(m.satisfaction, 0) + "%"; },
    negative: function (m) { return m.negative_share === null ? "—" : number(m.negative_share, 0) + "%"; }
  };
  var LEVELS = { good: "Đạt", warn: "Cần chú ý", bad: "Chưa đạt", none: "Chưa có số liệu" };

  function label(m) {
    // The schematic map has no places to read: each marker says whose it is, shortly.
    return String(m.short_name).replace(/^Xã /, "").replace(/^Phường /, "P. ");
  }

  function icon(m) {
    var key = measure();
    var level = m.levels[key];
    return L.divIcon({
      className: "mk-icon",
      iconSize: [96, 32],
      iconAnchor: [9, 9],
      html: '<span class="mk-box" data-unit="' + escape(m.code) + '" data-level="' + level + '">' +
        '<span class="mk mk-' + level + '"></span><b>' + escape(VALUES[key](m)) + "</b>" +
        "<small>" + escape(label(m)) + "</small></span>"
    });
  }

  function popup(m) {
    var rows = [
      ["Thời gian chờ hôm nay", m.wait_minutes === null ? "—" : number(m.wait_minutes, 1) + " phút (" + m.tickets + " lượt)"],
      ["Hồ sơ tiếp nhận hôm nay", m.received],
      ["Đã trả kết quả hôm nay", m.returned],
      ["Hồ sơ đang quá hạn", m.overdue],
      ["Hài lòng tháng này", m.satisfaction === null ? "—" : number(m.satisfaction, 1) + "% (" + m.satisfied + "/" + m.ratings + ")"],
      ["Góp ý tiêu cực tháng này", m.negative_share === null ? "—" : number(m.negative_share, 1) + "% (" + m.negative + "/" + m.commented + ")"],
      ["PAKN chờ trả lời", m.pakn_open + (m.pakn_overdue ? " (" + m.pakn_overdue + " quá hạn)" : "")]
    ];
    var body = rows.map(function (r) {
      return "<tr><th scope=\"row\">" + escape(r[0]) + "</th><td>" + escape(r[1]) + "</td></tr>";
    }).join("");
    var link = document.getElementById("counter-map").getAttribute("data-dashboard") +
      "?unit=" + encodeURIComponent(m.code);
    return '<div class="mk-popup" data-unit="' + escape(m.code) + '"><h3>' + escape(m.name) + "</h3>" +
      "<p>" + escape(measureLabel() + ": " + LEVELS[m.levels[measure()]]) + "</p><table>" + body + "</table>" +
      '<p><a href="' + escape(link) + '">Xem bảng điều khiển của Trung tâm</a></p></div>';
  }

  function ordered(list) {
    // The schematic order (reporting/data/counter_map.json): counters without a statistical
    // code first, then by code.
    return list.slice().sort(function (a, b) {
      var ka = a.statistical_code || "";
      var kb = b.statistical_code || "";
      if (!ka !== !kb) { return ka ? 1 : -1; }
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  function draw(force) {
    var source = document.getElementById("map-markers");
    if (!source || !map) { return; }
    var text = source.textContent;
    if (text === drawn && !force) { return; }
    drawn = text;
    ordered(JSON.parse(text)).forEach(function (m, i) {
      var at = [-Math.floor(i / COLUMNS) * STEP_Y, (i % COLUMNS) * STEP_X];
      var marker = markers[m.code];
      if (marker) {
        marker.setIcon(icon(m));
        marker.setPopupContent(popup(m));
      } else {
        marker = L.marker(at, { icon: icon(m), title: m.name, alt: m.name, keyboard: true });
        marker.bindPopup(popup(m), { maxWidth: 320 });
        marker.addTo(map);
        markers[m.code] = marker;
      }
    });
  }

  function start() {
    var box = document.getElementById("counter-map");
    if (!box || typeof L === "undefined") { return; }
    map = L.map(box, { crs: L.CRS.Simple, minZoom: -2, maxZoom: 3, attributionControl: false, zoomSnap: 0.25 });
    var source = document.getElementById("map-markers");
    var count = source ? JSON.parse(source.textContent).length : 1;
    var rows = Math.max(1, Math.ceil(count / COLUMNS));
    var columns = Math.min(count, COLUMNS);
    map.fitBounds([[-(rows - 1) * STEP_Y - 5, -3], [4, (columns - 1) * STEP_X + 14]]);
    draw(true);
    document.querySelectorAll(".map-measure input").forEach(function (input) {
      input.addEventListener("change", function () { draw(true); });
    });
    // htmx replaces #map-data every few seconds: follow it.
    document.body.addEventListener("htmx:afterSettle", function () { draw(false); });
    window.setInterval(function () { draw(false); }, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
