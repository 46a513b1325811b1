/* Commander dashboard charts (Chart.js, served from this site). The figures come from a
   json_script block, so the Content-Security-Policy needs no inline script. Every chart has a
   table with the same figures next to it; the charts are a picture of that table.
   Right-to-left pages: bars grow from the right, time runs from right to left, axes and legends
   sit on the reading side. */
(function () {
  "use strict";
  // A table wider than the screen scrolls inside its own region (focusable, labelled for
  // screen readers). Sighted readers get the same cue, visible, above each region that does
  // scroll, and only then; it follows the width when the phone turns or the window resizes.
  var regions = document.querySelectorAll(".dashboard .table-responsive[role=region]");
  function cueScrolling() {
    regions.forEach(function (region) {
      var hint = region.previousElementSibling;
      if (!hint || !hint.classList.contains("scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "scroll-hint small mb-1";
        hint.setAttribute("aria-hidden", "true");  // the region's own label says it to screen readers
        var icon = document.createElement("span");
        icon.className = "bi bi-arrow-left-right me-1";
        hint.appendChild(icon);
        hint.appendChild(document.createTextNode(region.getAttribute("aria-label")));
        region.parentNode.insertBefore(hint, region);
      }
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      hint.hidden = !scrolls;
      region.classList.toggle("scrolls", scrolls);
    });
  }
  cueScrolling();
  window.addEventListener("resize", cueScrolling);

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var data = JSON.parse(source.textContent);
  var rtl = Boolean(data.rtl);
  var text = data.text;
  // Western digits, as in the tables, in every language.
  var locale = (document.documentElement.lang || "en") + "-u-nu-latn";
  var root = getComputedStyle(document.body);
  var COLORS = {
    contacts: "#0a58ca",
    target: "#adb5bd",
    people: "#146c43",
    events: "#6f42c1",
    attendance: "#b02a37"
  };

  Chart.defaults.font.family = root.fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#212529";
  Chart.defaults.animation = false;

  function options(scales, legend) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      locale: locale,
      animation: false,
      scales: scales,
      plugins: {
        legend: {
          display: legend,
          rtl: rtl,
          textDirection: rtl ? "rtl" : "ltr",
          align: "start"
        },
        tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" }
      }
    };
  }

  function sizeRows(canvas, rows) {
    // Tall enough for every label to be read; set through the CSSOM (allowed by the CSP).
    canvas.parentNode.style.height = Math.max(140, rows * 26 + 50) + "px";
  }

  // Horizontal bars: one category a row reads well on a phone and in both directions.
  function bars(canvas, labels, datasets) {
    sizeRows(canvas, labels.length);
    var opts = options(
      {
        x: { reverse: rtl, beginAtZero: true, ticks: { precision: 0 } },
        y: { position: rtl ? "right" : "left", ticks: { autoSkip: false } }
      },
      datasets.length > 1
    );
    opts.indexAxis = "y";
    return new Chart(canvas, { type: "bar", data: { labels: labels, datasets: datasets }, options: opts });
  }

  var builders = {
    liaisons: function (canvas) {
      var d = data.liaisons;
      return bars(canvas, d.labels, [
        { label: text.contacts, data: d.contacts, backgroundColor: COLORS.contacts },
        { label: text.target, data: d.targets, backgroundColor: COLORS.target }
      ]);
    },
    communities: function (canvas) {
      var d = data.communities;
      return bars(canvas, d.labels, [
        { label: text.contacts, data: d.contacts, backgroundColor: COLORS.contacts }
      ]);
    },
    kinds: function (canvas) {
      var d = data.kinds;
      return bars(canvas, d.labels, [
        { label: text.contacts, data: d.contacts, backgroundColor: COLORS.contacts }
      ]);
    },
    languages: function (canvas) {
      var d = data.languages;
      return bars(canvas, d.labels, [
        { label: text.contacts, data: d.contacts, backgroundColor: COLORS.people }
      ]);
    },
    trend: function (canvas) {
      var d = data.trend;
      var datasets = [
        { label: text.contacts, data: d.contacts, borderColor: COLORS.contacts, backgroundColor: COLORS.contacts, yAxisID: "y" },
        { label: text.people, data: d.people, borderColor: COLORS.people, backgroundColor: COLORS.people, yAxisID: "y1", borderDash: [6, 4] }
      ];
      if (d.events.some(function (v) { return v !== null; })) {
        datasets.push({ label: text.events, data: d.events, borderColor: COLORS.events, backgroundColor: COLORS.events, yAxisID: "y" });
        datasets.push({ label: text.attendance, data: d.attendance, borderColor: COLORS.attendance, backgroundColor: COLORS.attendance, yAxisID: "y1", borderDash: [2, 3] });
      }
      return new Chart(canvas, {
        type: "line",
        data: { labels: d.labels, datasets: datasets },
        options: options(
          {
            // Time runs in the reading direction: the oldest quarter on the right in Arabic.
            x: { reverse: rtl },
            y: { position: rtl ? "right" : "left", beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: text.contacts } },
            y1: { position: rtl ? "left" : "right", beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false }, title: { display: true, text: text.people } }
          },
          true
        )
      });
    }
  };

  // "What people told us": the share who agree with each statement, and the resolved rate,
  // quarter by quarter. A quarter with too few answers is a gap in its line, never a guess.
  builders.surveys = function (canvas) {
    var d = data.surveys;
    var palette = [COLORS.contacts, COLORS.people, COLORS.events, COLORS.attendance];
    var dashes = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
    var datasets = d.series.map(function (series, i) {
      return {
        label: series.label, data: series.data, borderColor: palette[i % 4], backgroundColor: palette[i % 4],
        borderDash: dashes[i % 4], spanGaps: false
      };
    });
    return new Chart(canvas, {
      type: "line",
      data: { labels: d.labels, datasets: datasets },
      options: options(
        {
          x: { reverse: rtl },
          y: { position: rtl ? "right" : "left", min: 0, max: 100, ticks: { stepSize: 25 }, title: { display: true, text: d.axis } }
        },
        true
      )
    });
  };

  var charts = [];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var build = builders[canvas.getAttribute("data-chart")];
    if (build) {
      charts.push(build(canvas));
    }
  });

  // Printing: redraw at the paper's width, and back again afterwards.
  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) {
      print.addEventListener("change", resizeAll);
    }
  }
  document.documentElement.setAttribute("data-charts-ready", String(charts.length));
})();
