// The report form's map: area outlines from /map/areas.geojson (no tile server), a tap
// drills into an area and places the pin; "use my location" asks the device instead.
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.L) { return; }
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var lang = document.documentElement.lang;
  // No zoom animation: a view change asked for mid-animation (a tap, then "use my
  // location") would otherwise be dropped by Leaflet.
  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false, zoomAnimation: false });
  var loaded = {};
  var pin = null;
  var styles = {
    "district": { color: "#0b5cad", weight: 2, fillOpacity: 0.05 },
    "street": { color: "#2f7d32", weight: 1.5, fillOpacity: 0.05 },
    "community": { color: "#8a4baf", weight: 1, fillOpacity: 0.04 },
    "grid": { color: "#b26a00", weight: 1, fillOpacity: 0.03 },
    "micro-grid": { color: "#6b7280", weight: 0.8, fillOpacity: 0.02 }
  };

  var placeName = document.getElementById("place-name");
  var asked = 0;

  function place(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (pin) { pin.setLatLng(latlng); }
    else { pin = L.marker(latlng, { title: box.dataset.pinLabel, alt: box.dataset.pinLabel }).addTo(map); }
    name(lat.value, lon.value);
  }

  // Tell the reporter which street and community the pin is in, as the case will be filed.
  function name(latText, lonText) {
    var mine = ++asked;
    var url = box.dataset.locate + "?lang=" + encodeURIComponent(lang) +
      "&lat=" + encodeURIComponent(latText) + "&lon=" + encodeURIComponent(lonText);
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (found) {
      if (!found || mine !== asked) { return; }
      placeName.textContent = found.inside ? found.names.join(" · ") : box.dataset.outside;
    });
  }

  function load(parent, fit) {
    var key = parent || "";
    if (loaded[key]) { return; }
    loaded[key] = true;
    var url = box.dataset.areas + "?lang=" + encodeURIComponent(lang) +
      (parent ? "&parent=" + encodeURIComponent(parent) : "");
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : { features: [] };
    }).then(function (data) {
      if (!data.features.length) { return; }
      var layer = L.geoJSON(data, {
        style: function (f) { return styles[f.properties.level] || styles["micro-grid"]; },
        onEachFeature: function (f, l) {
          l.bindTooltip(f.properties.name, { sticky: true });
          l.on("click", function (e) {
            place(e.latlng);
            if (!f.properties.leaf) {
              load(f.properties.code, false);
              map.fitBounds(l.getBounds(), { maxZoom: 18 });
            }
          });
        }
      }).addTo(map);
      if (fit) { map.fitBounds(layer.getBounds()); }
    });
  }

  map.on("click", function (e) { place(e.latlng); });

  // Open reports nearby, once zoomed in: a resident sees what is reported already.
  var reports = L.layerGroup().addTo(map);
  var shown = 0;
  map.on("moveend", function () {
    var mine = ++shown;
    if (map.getZoom() < 13) { reports.clearLayers(); return; }
    var url = box.dataset.reports + "?lang=" + encodeURIComponent(lang) +
      "&bbox=" + map.getBounds().toBBoxString();
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (!data || mine !== shown) { return; }
      reports.clearLayers();
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 6, color: "#b42318", weight: 2, fillOpacity: 0.6 })
          .bindTooltip(f.properties.category + " · " + f.properties.reported)
          .addTo(reports);
      });
    });
  });
  // One report per press: a second tap while the first is sending would file it twice.
  // A photo over the limit is refused before it is sent: on a phone the upload is slow.
  var photo = document.getElementById("photo");
  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    if (file && file.size > Number(photo.dataset.maxBytes)) {
      photo.value = "";
      document.getElementById("photo-hint").textContent = photo.dataset.tooLarge;
    }
  });

  var form = box.closest("form");
  var send = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (e) {
    if (send.disabled) { e.preventDefault(); } else { send.disabled = true; }
  });
  // Back from the receipt, the browser may restore this page as it was: sendable again.
  window.addEventListener("pageshow", function () { send.disabled = false; });
  map.setView([34.75, 113.65], 9);
  load(null, true);
  var startLat = parseFloat(lat.value), startLon = parseFloat(lon.value);
  if (!isNaN(startLat) && !isNaN(startLon)) { place(L.latLng(startLat, startLon)); }

  var locate = document.getElementById("locate");
  if (!navigator.geolocation) { locate.hidden = true; return; }
  locate.addEventListener("click", function () {
    locate.disabled = true;
    locate.dataset.label = locate.dataset.label || locate.textContent;
    locate.textContent = box.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = L.latLng(position.coords.latitude, position.coords.longitude);
      place(here);
      map.setView(here, 17);
      locate.disabled = false;
      locate.textContent = locate.dataset.label;
    }, function () {
      locate.disabled = false;
      locate.textContent = box.dataset.noLocation;
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
