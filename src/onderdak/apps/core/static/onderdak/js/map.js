/* Onderdak maps: boundaries from the reference data always; background tiles when reachable.
 * Reads its data from <script type="application/json" id="map-data"> (no inline script, no
 * inline style: CSP). Features may carry properties.color (fill/stroke), properties.label
 * (tooltip, always shown as text, never as HTML) and properties.url (a click opens it); points
 * are drawn as circles. With data.pick ({longitude: input id, latitude: input id}) a click on
 * the map sets the point in those inputs, and typing in them moves the point.
 * The map is (re)built whenever htmx swaps in new content (the ranking page's sliders). */
(function () {
  "use strict";
  var current = null;

  function style(feature) {
    var color = (feature.properties && feature.properties.color) || "#24578f";
    return { color: color, weight: 3, fillColor: color, fillOpacity: 0.15 };
  }

  function textOf(value) {
    // a DOM node, so Leaflet never parses a site or complex name as HTML
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  function tooltipText(p) {
    if (p.label) { return p.label; }
    return p.code ? p.name + " (" + p.code + ")" : (p.name || "");
  }

  function picker(map, pick) {
    var lon = document.getElementById(pick.longitude);
    var lat = document.getElementById(pick.latitude);
    if (!lon || !lat) { return; }
    var marker = null;
    function read() {
      var x = parseFloat(String(lon.value).replace(",", "."));
      var y = parseFloat(String(lat.value).replace(",", "."));
      // only a real WGS84 point: a typed 1e25 made Leaflet loop forever over its tiles
      return isFinite(x) && isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90 ? L.latLng(y, x) : null;
    }
    function show(latlng) {
      if (!latlng) { return; }
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.circleMarker(latlng, { radius: 9, color: "#1a1a1a", weight: 2, fillColor: "#b45309", fillOpacity: 0.9 }).addTo(map);
      }
    }
    map.on("click", function (event) {
      lon.value = event.latlng.lng.toFixed(6);
      lat.value = event.latlng.lat.toFixed(6);
      show(event.latlng);
      lon.dispatchEvent(new Event("change", { bubbles: true }));
    });
    function typed() { show(read()); }
    lon.addEventListener("change", typed);
    lat.addEventListener("change", typed);
    var start = read();
    if (start) {
      show(start);
      map.setView(start, 15);
    }
    map.getContainer().setAttribute("data-map-pick", "true");
  }

  function init() {
    var element = document.getElementById("map");
    var source = document.getElementById("map-data");
    if (!element || !source || typeof L === "undefined") { return; }
    if (element.getAttribute("data-map-ready") !== null) { return; }
    if (current) { current.remove(); current = null; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    current = map;
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    }
    var layer = L.geoJSON({ type: "FeatureCollection", features: data.features || [] }, {
      style: style,
      pointToLayer: function (feature, latlng) {
        var s = style(feature);
        return L.circleMarker(latlng, { radius: 8, color: "#1a1a1a", weight: 1.5, fillColor: s.fillColor, fillOpacity: 0.9 });
      },
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties || {};
        featureLayer.bindTooltip(textOf(tooltipText(p)));
        if (p.url) { featureLayer.on("click", function () { window.location.href = p.url; }); }
      }
    }).addTo(map);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 15 });
    } else {
      map.setView([52.2, 5.3], 7);
    }
    if (data.pick) { picker(map, data.pick); }
    element.setAttribute("data-map-ready", String(layer.getLayers().length));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // htmx replaces the results (and the map element with them). Before the swap the old map is
  // taken down and its inline style (set by Leaflet through the CSSOM) dropped: htmx copies the
  // old element's attributes onto the new one while it settles, and a copied style attribute is
  // an inline style the CSP blocks. After the swap the new map is drawn.
  document.addEventListener("htmx:beforeSwap", function () {
    var element = document.getElementById("map");
    if (current) { current.remove(); current = null; }
    if (element) {
      element.removeAttribute("style");
      element.removeAttribute("data-map-ready");
    }
  });
  document.addEventListener("htmx:afterSettle", init);
})();
