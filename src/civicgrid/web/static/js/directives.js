// "Use my location" for the location fields of a typed form (feedback, reports).
(function () {
  "use strict";
  document.querySelectorAll("button.locate").forEach(function (button) {
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-for");
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById(name + "_lat").value = position.coords.latitude.toFixed(6);
        document.getElementById(name + "_lon").value = position.coords.longitude.toFixed(6);
      });
    });
  });
})();
