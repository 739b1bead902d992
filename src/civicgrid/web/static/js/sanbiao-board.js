// The 三标 board's charts (Apache ECharts, vendored): gap bars, the sibling ranking and
// each milestone's forecast band. Data comes from data-chart attributes; the tables and
// cards on the page carry the same figures for readers without a canvas.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  var mine = "#0b5cad", others = "#9aa5b1";

  function data(el) {
    try { return JSON.parse(el.getAttribute("data-chart") || "null"); } catch (e) { return null; }
  }

  function start(el, option) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
    el.setAttribute("data-drawn", "true");
    return chart;
  }

  function drawGaps() {
    var el = document.getElementById("sanbiao-gaps");
    var d = el && data(el);
    if (!d) { return; }
    el.style.height = Math.max(160, 60 + d.names.length * 48) + "px";
    start(el, {
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " %"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: d.labels.unit, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "category", data: d.names, inverse: true, axisLabel: { width: 120, overflow: "truncate" } },
      series: [
        { name: d.labels.standard, type: "bar", data: d.standard, itemStyle: { color: "#d4a017" } },
        { name: d.labels.benchmark, type: "bar", data: d.benchmark, itemStyle: { color: "#6b4fbb" } }
      ]
    });
  }

  function drawRanking() {
    var el = document.getElementById("sanbiao-ranking");
    var all = el && data(el);
    var select = document.getElementById("ranking-indicator");
    if (!all || !select) { return; }
    var chart = null;
    function show(code) {
      var d = all[code];
      if (!d) { return; }
      el.style.height = Math.max(160, 50 + d.rows.length * 32) + "px";
      var option = {
        animation: false,
        title: { text: d.name + " · " + d.period, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "value", name: d.unit },
        yAxis: {
          type: "category", inverse: true,
          data: d.rows.map(function (r) { return r.rank + ". " + r.name; }),
          axisLabel: { width: 140, overflow: "truncate" }
        },
        series: [{
          type: "bar",
          label: { show: true, position: "right" },
          data: d.rows.map(function (r) {
            return { value: r.value, itemStyle: { color: r.mine ? mine : others } };
          })
        }]
      };
      if (chart) { chart.clear(); chart.resize(); chart.setOption(option); } else { chart = start(el, option); }
      document.querySelectorAll(".ranking-table").forEach(function (table) {
        table.hidden = table.getAttribute("data-indicator") !== code;
      });
    }
    select.addEventListener("change", function () { show(select.value); });
    show(select.value);
  }

  function drawForecasts() {
    document.querySelectorAll(".chart.forecast").forEach(function (el) {
      var d = data(el);
      if (!d) { return; }
      var series = [
        { name: d.labels.values, type: "line", data: d.points, symbolSize: 6, itemStyle: { color: mine } }
      ];
      if (d.band) {
        var b = d.band;
        // The band widens from the last value to expected ± 1.96 σ at the deadline:
        // a lower line, then the band's width stacked on it and filled.
        series.push({
          name: "low", type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 },
          data: [[b.from, b.start], [d.deadline, b.low]], tooltip: { show: false }
        });
        series.push({
          name: d.labels.forecast, type: "line", stack: "band", symbol: "none",
          lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(11, 92, 173, 0.18)" },
          data: [[b.from, 0], [d.deadline, b.high - b.low]]
        });
        series.push({
          name: d.labels.forecast, type: "line", symbol: "none",
          lineStyle: { type: "dashed", color: mine },
          data: [[b.from, b.start], [d.deadline, b.expected]]
        });
      }
      series[0].markLine = {
        symbol: "none", silent: true, label: { formatter: d.labels.threshold },
        lineStyle: { color: "#b42318" }, data: [{ yAxis: d.threshold }]
      };
      start(el, {
        animation: false,
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "time", max: d.deadline },
        yAxis: {  // wide enough for the threshold, however far the values are from it
          type: "value", scale: true,
          min: function (v) { return Math.min(v.min, d.threshold); },
          max: function (v) { return Math.max(v.max, d.threshold); }
        },
        series: series
      });
    });
  }

  drawGaps();
  drawRanking();
  drawForecasts();
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
