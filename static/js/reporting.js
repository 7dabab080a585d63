// Reporting pages: the period picker and the dashboard's charts (Chart.js, vendored). Data
// comes from the json_script block #report-data; no inline script (the CSP forbids it).
(function () {
  function setupPicker() {
    // Only the selects of the chosen kind are shown and sent (month: year + month, …).
    var kind = document.querySelector("[data-period-kind]");
    if (!kind) return;
    var groups = document.querySelectorAll("[data-period-for]");
    function sync() {
      groups.forEach(function (el) {
        var on = el.dataset.periodFor.split(" ").indexOf(kind.value) !== -1;
        el.hidden = !on;
        el.querySelectorAll("select, input").forEach(function (c) { c.disabled = !on; });
      });
    }
    kind.addEventListener("change", sync);
    sync();
  }

  function drawCharts() {
    var node = document.getElementById("report-data");
    if (!node || typeof window.Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    document.querySelectorAll("canvas[data-sparkline]").forEach(function (canvas) {
      var code = canvas.dataset.sparkline;
      var values = data.trend.values[code] || [];
      var target = data.targets[code];
      var datasets = [{ data: values, borderColor: "#0b5cad", borderWidth: 2, pointRadius: 0, spanGaps: true, tension: 0.25 }];
      if (target !== null && target !== undefined) {
        datasets.push({ data: values.map(function () { return target; }), borderColor: "#b3261e", borderDash: [4, 3], borderWidth: 1, pointRadius: 0 });
      }
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.trend.labels, datasets: datasets },
        options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
                   scales: { x: { display: false }, y: { display: false } } },
      });
    });
    var ranking = document.querySelector("canvas[data-chart=ranking]");
    if (ranking) {
      new window.Chart(ranking, {
        type: "bar",
        data: {
          labels: data.ranking.map(function (r) { return r.label; }),
          datasets: [{ label: "Tỷ lệ đúng hạn (%)", data: data.ranking.map(function (r) { return r.value; }), backgroundColor: "#0b5cad", maxBarThickness: 28 }],
        },
        options: { indexAxis: "y", animation: false, maintainAspectRatio: false,
                   scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPicker();
    drawCharts();
  });
})();
