// Parchemin — the charts of the "Statistiques" page (Chart.js, static/vendor/chartjs/).
// No inline script (Content Security Policy): the figures come from the page's
// <script type="application/json" id="statistics-charts">, built from the tables shown
// under each chart, so the page makes no extra request.
(function () {
  "use strict";
  var source = document.getElementById("statistics-charts");
  var Chart = window.Chart;
  if (!source || !Chart) { return; }
  var data = JSON.parse(source.textContent);
  var css = window.getComputedStyle(document.documentElement);
  function color(name, fallback) { return (css.getPropertyValue(name) || "").trim() || fallback; }
  var palette = {
    success_rate: color("--brand", "#1f4e8c"),
    acquisition_rate: color("--brand", "#1f4e8c"),
    awarded: color("--ok", "#1f7a4d"),
    partial: color("--brand", "#1f4e8c"),
    not_awarded: color("--bad", "#b3261e"),
    absent: color("--muted", "#5b6475")
  };
  var number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
  function percent(value) { return value === null || value === undefined ? "—" : number.format(value) + " %"; }

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = color("--ink", "#1d2433");
  Chart.defaults.maintainAspectRatio = false;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function datasets(block) {
    return block.datasets.map(function (set) {
      return { label: set.label, data: set.data, backgroundColor: palette[set.key], borderColor: palette[set.key] };
    });
  }
  var percentScale = { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } };
  var percentTooltip = { callbacks: { label: function (c) { return c.dataset.label + " : " + percent(c.raw); } } };

  var builders = {
    by_year: function (block) {
      return {
        type: "bar",
        data: { labels: block.labels, datasets: datasets(block) },
        options: { scales: { y: percentScale }, plugins: { legend: { display: false }, tooltip: percentTooltip } }
      };
    },
    by_route: function (block) {
      return {
        type: "bar",
        data: { labels: block.labels, datasets: datasets(block) },
        options: {
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom" } }
        }
      };
    },
    competences: function (block) {
      return {
        type: "bar",
        data: { labels: block.labels, datasets: datasets(block) },
        options: {
          indexAxis: "y",
          scales: { x: percentScale, y: { ticks: { autoSkip: false } } },
          plugins: { legend: { display: false }, tooltip: percentTooltip }
        }
      };
    }
  };

  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), function (canvas) {
    var name = canvas.getAttribute("data-chart");
    if (!data[name] || !builders[name]) { return; }
    var box = canvas.parentNode;
    var rows = parseInt(box.getAttribute("data-rows") || "0", 10);
    if (rows) { box.style.height = Math.max(160, 60 + 28 * rows) + "px"; }  // one bar per row
    charts.push(new Chart(canvas, builders[name](data[name])));
  });

  // Print: draw each chart at the fixed size the print stylesheet gives its box (17 cm
  // wide, 7 cm high, or one bar per competence), then back to the screen's size.
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) {
      var rows = parseInt(chart.canvas.parentNode.getAttribute("data-rows") || "0", 10);
      chart.resize(640, rows ? Math.max(160, 60 + 28 * rows) : 264);
    });
  });
  window.addEventListener("afterprint", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
