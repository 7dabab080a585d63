// Reporting pages: the period picker and the dashboard's charts (Chart.js, vendored). Data
// comes from the json_script block #report-data; no inline script (the CSP forbids it).
(function () {
  function setupPicker() {
    var kind = document.querySelector("[data-period-kind]");
    if (!kind) return;
    var input = document.querySelector("[data-period-input]");
    var value = document.querySelector("[data-period-value]");
    var ranges = document.querySelectorAll("[data-period-range]");
    var hints = { month: "2026-03", quarter: "2026-Q1", half: "2026-H1", year: "2026" };
    function sync() {
      var isRange = kind.value === "range";
      value.hidden = isRange;
      input.disabled = isRange;
      ranges.forEach(function (el) {
        el.hidden = !isRange;
        el.querySelector("input").disabled = !isRange;
      });
      if (!isRange) {
        input.name = kind.value;
        input.placeholder = hints[kind.value];
      }
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
