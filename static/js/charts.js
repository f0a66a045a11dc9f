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
    var kind = canvas.dataset.kind === "line" ? "line" : "bar";
    var width = Math.max(16, Math.floor(canvas.parentNode.clientWidth / 14));
    var horizontal = kind === "bar" && rows.length > 6;
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
          borderColor: "#0b4f8a",
          tension: 0.2
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
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
