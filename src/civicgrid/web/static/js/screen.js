// The leader screen: the panels come again from /staff/screen/panels whenever the area's
// live feed (server-sent events) says something happened, at most every two seconds,
// and every minute anyway in case the feed is down.
(function () {
  "use strict";
  var root = document.getElementById("screen-panels");
  if (!root) { return; }
  var live = document.getElementById("screen-live");
  var stamp = document.getElementById("screen-updated");
  var chart = null, pending = null, busy = false, last = 0;
  var FALLBACK_MS = 60000, QUIET_MS = 2000;

  function draw() {
    var el = document.getElementById("screen-overdue-chart");
    if (chart) { chart.dispose(); chart = null; }
    if (!el || !window.echarts) { return; }
    var d;
    try { d = JSON.parse(el.getAttribute("data-chart") || "null"); } catch (e) { d = null; }
    if (!d) { return; }
    el.style.height = Math.max(180, 40 + d.names.length * 30) + "px";
    chart = window.echarts.init(el, "dark", { renderer: "canvas" });
    chart.setOption({
      backgroundColor: "transparent",
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: d.names, axisLabel: { width: 150, overflow: "truncate" } },
      series: [{
        name: d.label, type: "bar", data: d.counts,
        label: { show: true, position: "right" }, itemStyle: { color: "#f97066" }
      }]
    });
    el.setAttribute("data-drawn", "true");
  }

  function refresh() {
    if (busy) { return; }
    busy = true;
    last = Date.now();
    fetch(root.getAttribute("data-panels"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected || !response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        root.innerHTML = html;
        var grid = root.querySelector(".screen-grid");
        if (grid && stamp) { stamp.textContent = grid.getAttribute("data-at"); }
        draw();
        root.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { /* the next event or the minute's round tries again */ })
      .then(function () { busy = false; });
  }

  function soon() {
    if (pending) { return; }
    var wait = Math.max(0, QUIET_MS - (Date.now() - last));
    pending = setTimeout(function () { pending = null; refresh(); }, wait);
  }

  function state(on) {
    if (!live) { return; }
    live.textContent = live.getAttribute(on ? "data-live" : "data-offline");
    live.className = on ? "on" : "off";
  }

  if (window.EventSource) {
    var source = new EventSource(root.getAttribute("data-events"));
    source.onopen = function () { state(true); };
    source.onmessage = soon;
    source.onerror = function () { state(false); };
  }
  setInterval(refresh, FALLBACK_MS);
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
  draw();
})();
