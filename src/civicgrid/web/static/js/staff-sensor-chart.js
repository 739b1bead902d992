// A sensor's readings chart (Apache ECharts, vendored): the readings as a line, each
// threshold as a dashed line, each alert as a shaded span from firing to clearing with a
// mark at the moment it fired. Data: JSON from the container's data-src.
(function () {
  "use strict";
  var box = document.getElementById("sensor-chart");
  var status = document.getElementById("sensor-chart-status");
  if (!box || !window.echarts || !window.fetch) { return; }
  var COLOURS = { red: "#b42318", orange: "#b54708", yellow: "#d4a017", blue: "#175cd3", clear: "#1a7f37" };

  function say(text) { if (status) { status.textContent = text; } }

  function option(data) {
    var unit = data.unit;
    var thresholds = data.thresholds.map(function (t) {
      return {
        name: t.label, yAxis: t.value,
        lineStyle: { color: COLOURS[t.severity] || "#4a5563", type: "dashed", width: 1.5 },
        label: { formatter: t.label + " " + t.value + " " + unit, position: "insideEndTop", color: COLOURS[t.severity] || "#4a5563" }
      };
    });
    var fired = data.alerts.map(function (a) {
      return {
        name: a.label, xAxis: a.fired,
        lineStyle: { color: COLOURS[a.severity], type: "solid", width: 1 },
        label: { show: false }
      };
    });
    var spans = data.alerts.map(function (a) {
      return [
        { name: a.label, xAxis: Math.max(a.fired, data.start), itemStyle: { color: COLOURS[a.severity], opacity: 0.12 } },
        { xAxis: a.until }
      ];
    });
    var levels = data.thresholds.map(function (t) { return t.value; });
    var lowest = Math.min.apply(null, levels.concat([Infinity]));
    var highest = Math.max.apply(null, levels.concat([-Infinity]));
    return {
      animation: false,
      grid: { left: 56, right: 24, top: 32, bottom: 64, containLabel: false },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + " " + unit; } },
      xAxis: { type: "time", min: data.start, max: data.end },
      // Thresholds stay in view even when the readings never came near them.
      yAxis: {
        type: "value", name: unit, scale: true,
        min: function (v) { return Math.min(v.min, lowest); },
        max: function (v) { return Math.max(v.max, highest); }
      },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 20, bottom: 12 }],
      series: [{
        name: data.words.value, type: "line", showSymbol: false, sampling: "lttb",
        data: data.points, lineStyle: { width: 1.5, color: "#0b5cad" }, itemStyle: { color: "#0b5cad" },
        markLine: { symbol: "none", silent: true, data: thresholds.concat(fired) },
        markArea: { silent: true, label: { show: false }, data: spans }
      }]
    };
  }

  say(box.getAttribute("data-loading"));
  fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (answer) {
      if (!answer.ok) { throw new Error(String(answer.status)); }
      return answer.json();
    })
    .then(function (data) {
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.on("finished", function () { box.setAttribute("data-drawn", String(data.points.length)); });
      chart.setOption(option(data));
      window.addEventListener("resize", function () { chart.resize(); });
      say(data.points.length ? "" : data.words.empty);
    })
    .catch(function () { say(box.getAttribute("data-failed")); });
})();
