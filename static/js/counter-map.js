/* The map of counters (reporting/map.html): Leaflet, vendored, over a plain background — no
   tiles, nothing loaded from outside the portal. The markers' data is the JSON block of the
   fragment #map-data, which htmx refreshes every few seconds; the markers follow it.
   Each marker stands at its commune's point (lat/lon, reporting/positions.py); a counter
   without one goes in a row under the province's south edge; when none has a point (the
   district map of before 1/7/2025) the markers are laid out on a grid (schematic). The
   names show from one zoom step in, so that the 76 markers stay readable at first sight. */
(function () {
  "use strict";
  var COLUMNS = 10;
  var STEP_X = 16;
  var STEP_Y = 8;
  var map = null;
  var markers = {};
  var drawn = "";
  var geographic = false;
  var places = {};
  var namesFrom = 0;

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
    // Each marker says whose it is, shortly (hidden on the whole province, see showNames).
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

  function hasPlace(m) {
    // A number each, or no place (null, or a payload drawn before positions existed).
    return typeof m.lat === "number" && typeof m.lon === "number";
  }

  function cell(i) {
    // The schematic grid's i-th place (CRS.Simple units).
    return [-Math.floor(i / COLUMNS) * STEP_Y, (i % COLUMNS) * STEP_X];
  }

  function layout(list) {
    // Where each counter goes, once: its point, or (schematic) its cell of the grid.
    var placed = list.filter(hasPlace);
    if (!map) { geographic = placed.length > 0; }  // the mode is the map's, set once
    if (!geographic) {
      ordered(list).forEach(function (m, i) { places[m.code] = cell(i); });
      return;
    }
    var south = Math.min.apply(null, placed.map(function (m) { return m.lat; }));
    var west = Math.min.apply(null, placed.map(function (m) { return m.lon; }));
    var east = Math.max.apply(null, placed.map(function (m) { return m.lon; }));
    var step = Math.max((east - west) / COLUMNS, 0.01);
    var unplaced = 0;
    ordered(list).forEach(function (m) {
      if (hasPlace(m)) {
        places[m.code] = [m.lat, m.lon];
      } else {
        places[m.code] = [south - step, west + (unplaced % COLUMNS) * step];
        unplaced += 1;
      }
    });
  }

  function showNames() {
    var box = document.getElementById("counter-map");
    box.classList.toggle("names-hidden", geographic && map.getZoom() < namesFrom);
  }

  function draw(force) {
    var source = document.getElementById("map-markers");
    if (!source || !map) { return; }
    var text = source.textContent;
    if (text === drawn && !force) { return; }
    drawn = text;
    var list = JSON.parse(text);
    // A counter the page did not have yet: laid out again with the others, in the map's
    // own units (a grid cell would be a place on the equator on the geographic map).
    if (list.some(function (m) { return !places[m.code]; })) { layout(list); }
    ordered(list).forEach(function (m) {
      var at = places[m.code];
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
    var source = document.getElementById("map-markers");
    var list = source ? JSON.parse(source.textContent) : [];
    layout(list);
    if (geographic) {
      // Web Mercator without tiles: the places keep their true shape; no background drawn.
      map = L.map(box, { minZoom: 6, maxZoom: 14, attributionControl: false, zoomSnap: 0.25 });
      var points = list.map(function (m) { return places[m.code]; });
      map.fitBounds(L.latLngBounds(points), { padding: [24, 24] });
      namesFrom = map.getZoom() + 1;
      map.on("zoomend", showNames);
      showNames();
    } else {
      map = L.map(box, { crs: L.CRS.Simple, minZoom: -2, maxZoom: 3, attributionControl: false, zoomSnap: 0.25 });
      var count = Math.max(list.length, 1);
      var rows = Math.max(1, Math.ceil(count / COLUMNS));
      var columns = Math.min(count, COLUMNS);
      map.fitBounds([[-(rows - 1) * STEP_Y - 5, -3], [4, (columns - 1) * STEP_X + 14]]);
    }
    box.setAttribute("data-mode", geographic ? "geographic" : "schematic");
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
