// The staff map: the hierarchy's own outlines (no tile server), drilled into by clicking,
// with open cases, active alerts and a density layer. The area in focus shows its
// children, simplified by the server for the zoom; its panel comes as an HTML fragment.
(function () {
  "use strict";
  var box = document.getElementById("staff-map");
  var panel = document.getElementById("map-panel");
  if (!box || !panel || !window.L) { return; }
  var data = box.dataset;
  var lang = document.documentElement.lang;
  var pointsFrom = parseInt(data.pointsFrom, 10);
  // No tile layer sets the zoom range, and marker clustering needs one.
  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false, minZoom: 3, maxZoom: 20 });
  var styles = {
    "city": { color: "#1b1f24", weight: 2, fillOpacity: 0.02 },
    "district": { color: "#0b5cad", weight: 2, fillOpacity: 0.08 },
    "street": { color: "#2f7d32", weight: 1.5, fillOpacity: 0.08 },
    "community": { color: "#8a4baf", weight: 1.2, fillOpacity: 0.08 },
    "grid": { color: "#b26a00", weight: 1, fillOpacity: 0.08 },
    "micro-grid": { color: "#4b5563", weight: 1, fillOpacity: 0.08 }
  };
  var rank = { "city": 1, "district": 2, "street": 3, "community": 4, "grid": 5, "micro-grid": 6 };
  var state = { code: data.focus, level: data.level, zoom: null, childLevel: null };
  var focusLayer = L.featureGroup().addTo(map);
  var detailLayer = L.featureGroup().addTo(map);
  var caseLayer = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
  var countLayer = L.layerGroup();
  var cases = L.layerGroup([caseLayer, countLayer]).addTo(map);
  var alerts = L.markerClusterGroup({ maxClusterRadius: 30, showCoverageOnHover: false }).addTo(map);
  var heat = L.heatLayer([], { radius: 18, blur: 14, minOpacity: 0.25 });
  var overlays = {};
  overlays[data.labelCases] = cases;
  overlays[data.labelAlerts] = alerts;
  overlays[data.labelHeat] = heat;
  overlays[data.labelDetail] = detailLayer;
  L.control.layers(null, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);
  var asked = { outlines: 0, detail: 0, cases: 0, heat: 0, panel: 0 };

  function url(base, params) {
    var query = ["lang=" + encodeURIComponent(lang)];
    Object.keys(params).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined) {
        query.push(k + "=" + encodeURIComponent(params[k]));
      }
    });
    return base + "?" + query.join("&");
  }

  function getJSON(address) {
    return fetch(address, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }

  function zoom() { return Math.max(0, Math.min(20, Math.floor(map.getZoom()))); }

  function bbox() {
    var b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(5);
    }).join(",");
  }

  function boundsOf(text) {
    if (!text) { return null; }
    var v = text.split(",").map(Number);
    return L.latLngBounds([v[1], v[0]], [v[3], v[2]]);
  }

  function outlineLayer(geojson, onClick) {
    return L.geoJSON(geojson, {
      style: function (f) { return styles[f.properties.level] || styles["micro-grid"]; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.name, { sticky: true, className: "area-name" });
        layer.on("click", function () { onClick(f.properties.code); });
      }
    });
  }

  // The focus area's children, drawn at the zoom they were simplified for.
  function loadOutlines() {
    var mine = ++asked.outlines;
    var z = zoom();
    getJSON(url(data.areas, { parent: state.code, zoom: z })).then(function (found) {
      if (!found || mine !== asked.outlines) { return; }
      focusLayer.clearLayers();
      outlineLayer(found, focus).addTo(focusLayer);
      state.zoom = z;
      state.childLevel = found.features.length ? found.features[0].properties.level : null;
      box.dataset.drawn = String(found.features.length);
      if (!box.dataset.ready) {
        box.dataset.ready = "1";
        if (window.performance && performance.mark) { performance.mark("map-drawn"); }
      }
      loadDetail();
    });
  }

  // Zoomed in past the focus's children: the deeper areas in view, thin, to pick from.
  function loadDetail() {
    var mine = ++asked.detail;
    if (!map.hasLayer(detailLayer) || zoom() < 11) { detailLayer.clearLayers(); return; }
    getJSON(url(data.areas, { bbox: bbox(), zoom: zoom() })).then(function (found) {
      if (!found || mine !== asked.detail) { return; }
      detailLayer.clearLayers();
      if (!state.childLevel || rank[found.level] <= rank[state.childLevel]) { return; }
      var layer = outlineLayer(found, focus);
      layer.setStyle({ weight: 0.8, fillOpacity: 0, dashArray: "3 3" });
      layer.addTo(detailLayer);
    });
  }

  function countIcon(p) {
    var size = 22 + Math.min(18, Math.round(Math.log(p.open + 1) * 4));
    var kind = p.overdue ? " overdue" : (p.warning ? " warning" : "");
    return L.divIcon({
      className: "", iconSize: [size, size],
      html: '<div class="area-count' + kind + '" style="width:' + size + "px;height:" + size +
        'px">' + p.open + "</div>"
    });
  }

  var lightColours = { overdue: "#b42318", warning: "#d4a017", normal: "#1a7f37", none: "#0b5cad" };

  function loadCases() {
    var mine = ++asked.cases;
    var params = { parent: state.code, zoom: zoom() };
    if (zoom() >= pointsFrom) { params.bbox = bbox(); }
    getJSON(url(data.cases, params)).then(function (found) {
      if (!found || mine !== asked.cases) { return; }
      caseLayer.clearLayers();
      countLayer.clearLayers();
      found.features.forEach(function (f) {
        var p = f.properties;
        var at = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        if (p.kind === "area") {
          L.marker(at, { icon: countIcon(p), keyboard: false, title: p.open + " " + data.labelOpen })
            .on("click", function () { focus(p.code); }).addTo(countLayer);
        } else {
          L.circleMarker(at, { radius: 7, color: "#fff", weight: 1.5, fillOpacity: 0.9,
            fillColor: lightColours[p.light] || lightColours.none })
            .bindPopup('<a href="/staff/cases/' + p.id + '">' + data.labelCase + " #" + p.id +
              "</a><br>" + p.category)
            .addTo(caseLayer);
        }
      });
    });
  }

  function loadAlerts() {
    getJSON(url(data.alerts, { parent: state.code })).then(function (found) {
      alerts.clearLayers();
      if (!found) { return; }
      found.features.forEach(function (f) {
        var p = f.properties;
        var icon = L.divIcon({ className: "", iconSize: [14, 14], html: '<div class="alert-pin"></div>' });
        L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], { icon: icon, title: p.sensor })
          .bindPopup('<a href="/staff/alerts/' + p.id + '">' + data.labelAlert + " #" + p.id +
            "</a><br>" + p.category)
          .addTo(alerts);
      });
    });
  }

  function loadHeat() {
    if (!map.hasLayer(heat)) { return; }
    var mine = ++asked.heat;
    getJSON(url(data.heat, { bbox: bbox(), zoom: zoom() })).then(function (found) {
      if (!found || mine !== asked.heat) { return; }
      heat.setOptions({ max: Math.max(1, found.max) });
      heat.setLatLngs(found.points);
    });
  }

  // The panel's indicators come after it: their first computation may take a while.
  function loadIndicators() {
    var slot = document.getElementById("panel-indicators");
    if (!slot || !slot.dataset.src) { return; }
    var code = state.code;
    fetch(url(slot.dataset.src, {}), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null && code === state.code) { slot.innerHTML = html; }
      });
  }

  function fit() {
    var area = document.getElementById("area-panel");
    var bounds = boundsOf(area && area.dataset.bounds);
    if (bounds) { map.fitBounds(bounds, { animate: false, maxZoom: 18 }); } else { map.fitWorld(); }
  }

  function refresh() {
    loadOutlines();
    loadCases();
    loadAlerts();
    loadHeat();
  }

  // Choose an area: its panel, then the map fitted to it and its children drawn.
  function focus(code, fromHistory) {
    if (code === state.code && state.zoom !== null) { return; }
    var mine = ++asked.panel;
    panel.classList.add("loading");
    fetch(url(data.panel + encodeURIComponent(code), {}), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        panel.classList.remove("loading");
        if (html === null || mine !== asked.panel) { return; }
        panel.innerHTML = html;
        var area = document.getElementById("area-panel");
        state.code = area.dataset.code;
        state.level = area.dataset.level;
        state.zoom = null;
        if (!fromHistory) {
          history.pushState({ code: state.code }, "", data.page + "?area=" + encodeURIComponent(state.code));
        }
        fit();
        refresh();
        loadIndicators();
      });
  }

  panel.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-area]");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    e.preventDefault();
    focus(link.dataset.area);
  });

  window.addEventListener("popstate", function (e) {
    var code = e.state && e.state.code;
    if (code) { focus(code, true); }
  });
  history.replaceState({ code: state.code }, "");

  map.on("moveend", function () {
    if (state.zoom === null) { return; }
    // Zoomed well in: the outlines drawn were simplified for a coarser zoom.
    if (zoom() > state.zoom + 1) { loadOutlines(); } else { loadDetail(); }
    if (zoom() >= pointsFrom) { loadCases(); }
    loadHeat();
  });
  map.on("zoomend", function () {
    if (state.zoom !== null && zoom() < pointsFrom) { loadCases(); }
  });
  map.on("overlayadd", function (e) {
    if (e.layer === heat) { loadHeat(); }
    if (e.layer === detailLayer) { loadDetail(); }
  });

  // Live: cases and alerts change under the map; a hidden tab does not ask.
  window.setInterval(function () {
    if (document.hidden || state.zoom === null) { return; }
    loadCases();
    loadAlerts();
    loadHeat();
  }, 30000);

  fit();
  refresh();
  loadIndicators();
})();
