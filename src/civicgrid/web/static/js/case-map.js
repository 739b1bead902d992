// The case page's small map: the micro-grid's outline and the reported spot, drawn from
// the page's own data (no tile server, no request).
(function () {
  "use strict";
  var box = document.getElementById("case-map");
  if (!box || !window.L) { return; }
  var data = JSON.parse(box.dataset.map);
  // A picture, not a control: no keyboard focus, nothing to click (the page says it all).
  var map = L.map(box, { attributionControl: false, zoomAnimation: false, scrollWheelZoom: false, keyboard: false });
  var outline = L.geoJSON(data.area, { interactive: false, style: { color: "#0b5cad", weight: 2, fillOpacity: 0.08 } });
  var bounds = outline.getBounds();
  var spot = null;
  if (data.point) {
    spot = L.circleMarker(data.point, { interactive: false, radius: 8, color: "#b42318", weight: 3, fillOpacity: 0.7 });
    bounds = bounds.isValid() ? bounds.extend(data.point) : L.latLngBounds([data.point, data.point]);
  }
  // The view first: Leaflet cannot draw a vector layer on a map without one.
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 18, padding: [12, 12] }); }
  else { map.setView([34.75, 113.65], 9); }
  outline.addTo(map);
  if (spot) { spot.addTo(map); }
})();
