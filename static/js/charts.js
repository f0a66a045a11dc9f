// Draws each statistics chart from the JSON data beside it. The same data is on the page as a
// table and as a CSV download, so nothing depends on this script.
(function () {
  "use strict";
  // Breaks a long label (a law's full title) into lines of about `width` characters, so that
  // it is not cut off at the canvas edge on a phone.
  function wrap(label, width) {
    var lines = [];
    var line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines.length > 1 ? lines : lines[0];
  }
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var rows = JSON.parse(source.textContent);
    // A count per month is drawn as columns, never a smoothed line: a curve between two months
    // would show values nobody counted.
    var months = canvas.dataset.kind === "months";
    var kind = "bar";
    var width = Math.max(16, Math.floor(canvas.parentNode.clientWidth / 14));
    var horizontal = !months && rows.length > 6;
    if (horizontal) {
      // Room for every label beside its bar; none is skipped.
      canvas.parentNode.style.height = Math.max(20, rows.length * 2 + 3) + "rem";
    }
    new Chart(canvas, {
      type: kind,
      data: {
        labels: rows.map(function (r) { return wrap(r[0], width); }),
        datasets: [{
          label: canvas.dataset.label,
          data: rows.map(function (r) { return r[1]; }),
          backgroundColor: "#0b4f8a",
          borderColor: "#0b4f8a"
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { precision: 0 } },
          y: { ticks: { precision: 0, autoSkip: !horizontal } }
        }
      }
    });
  }
  if (typeof Chart === "undefined") return;
  // The page's own font stack, the vendored Noto Sans Khmer among it (site.css): without it
  // the canvas falls back to a system font, and Khmer labels render as boxes where the system
  // has no Khmer font.
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var drawn = Chart.getChart(canvas);
      if (drawn) drawn.destroy();
      draw(canvas);
    });
  }
  drawAll();
  // A web font loads only once text needs it: redraw when it has, so that labels drawn in the
  // fallback font are drawn again in the right one.
  if (document.fonts && document.fonts.ready) {
    // The Khmer face loads only for text that needs it, and canvas text does not ask: load it
    // when a label is in Khmer script.
    var khmer = /[\u1780-\u17ff]/.test(document.querySelector("main").textContent);
    var loading = khmer ? document.fonts.load('1em "Noto Sans Khmer"', "\u1780") : null;
    Promise.all([document.fonts.ready, loading]).then(function () {
      // Drawn anew, not updated: Chart.js keeps the label widths it measured in the fallback.
      drawAll();
      document.documentElement.dataset.chartsFonts = "ready";
    });
  }
})();
