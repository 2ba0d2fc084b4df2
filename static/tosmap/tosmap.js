/* Renderer of the TOS map: draws a spec built by analytics/mapview.py with Leaflet (served by the app).
 *
 * Spec layers:
 *   choropleth  polygons filled with properties.c, tooltip properties.t, click → onSelect({kind, id})
 *   outline     region borders, not interactive
 *   tos         TOS as points (properties.t tooltip) below spec.tosMinZoom, as polygons from it
 *   badges      one marker per municipality with its count of TOS without boundaries
 * Styles come from feature properties; nothing is computed per feature beyond reading them.
 */
(function (global) {
  "use strict";

  var UNIT = { color: "#ffffff", weight: 0.8 };
  var UNIT_OPACITY = 0.82;
  var UNIT_HOVER = { color: "#333333", weight: 2 };
  var UNIT_SELECTED = { color: "#111111", weight: 3.5 };
  var UNIT_FOCUS = { color: "#222222", weight: 2.5 };
  var TOS_POINT = { radius: 4.5, color: "#a63603", weight: 1, fillColor: "#e6550d", fillOpacity: 0.92 };
  var LOW_ZOOM = 6;
  var UNIT_FADED = 0.35;
  var TOS_POLY = { color: "#a63603", weight: 1.6, fillColor: "#e6550d", fillOpacity: 0.45 };

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function tag(layer, attrs) {
    // data-* attributes on the SVG element, for tests and for assistive tools.
    layer.on("add", function () {
      var el = layer.getElement ? layer.getElement() : layer._icon;
      if (!el) return;
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] != null) el.setAttribute("data-" + k, attrs[k]);
      });
    });
  }

  function choropleth(def, state, opts) {
    return L.geoJSON(def.data, {
      pane: "units",
      style: function (f) {
        var b = state.base(f.properties.id);
        return { fillColor: f.properties.c, color: b.color, weight: b.weight, opacity: 1, fillOpacity: UNIT_OPACITY, className: "tos-unit" };
      },
      onEachFeature: function (f, l) {
        var id = f.properties.id;
        state.units[id] = l;
        l.bindTooltip(f.properties.t, { sticky: true, direction: "top", className: "tos-tip" });
        l.on("mouseover", function () { if (state.selected !== id) l.setStyle(UNIT_HOVER); });
        l.on("mouseout", function () { if (state.selected !== id) l.setStyle(state.base(id)); });
        l.on("click", function () {
          state.select(id);
          if (opts.onSelect) opts.onSelect({ kind: def.click, id: id, at: Date.now() });
        });
        tag(l, { id: id, kind: def.click });
      }
    });
  }

  function context(def) {
    return L.geoJSON(def.data, {
      pane: "context",
      interactive: false,
      style: { color: "#c9c6bd", weight: 0.8, fillColor: "#ecebe6", fillOpacity: 1, className: "tos-context" }
    });
  }

  function outline(def) {
    return L.geoJSON(def.data, {
      pane: "outlines",
      interactive: false,
      style: { color: "#4a4a4a", weight: 1.8, opacity: 0.9, fill: false, className: "tos-region" }
    });
  }

  function tosLayer(def, state, minZoom) {
    var group = L.layerGroup();
    var tips = {};
    var names = {};
    def.points.features.forEach(function (f) {
      tips[f.properties.id] = f.properties.t;
      names[f.properties.id] = f.properties.n;
    });
    function bind(f, l, kind) {
      var id = f.properties.id;
      l.bindTooltip(tips[id], { sticky: true, direction: "top", className: "tos-tip" });
      tag(l, { tos: id, name: names[id], shape: kind });
    }
    var points = L.geoJSON(def.points, {
      pane: "tos",
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, Object.assign({ pane: "tos", className: "tos-point" }, TOS_POINT));
      },
      onEachFeature: function (f, l) { bind(f, l, "point"); }
    });
    var polygons = null;
    function getPolygons() {
      if (!polygons && def.data) {
        polygons = L.geoJSON(def.data, {
          pane: "tos",
          style: Object.assign({ className: "tos-poly" }, TOS_POLY),
          onEachFeature: function (f, l) { bind(f, l, "polygon"); }
        });
      }
      return polygons;
    }
    function update() {
      var want = def.data && state.map.getZoom() >= minZoom ? getPolygons() : points;
      group.eachLayer(function (l) { if (l !== want) group.removeLayer(l); });
      if (!group.hasLayer(want)) group.addLayer(want);
    }
    group.on("add", function () { state.map.on("zoomend", update); update(); });
    group.on("remove", function () { state.map.off("zoomend", update); });
    state.tos = { points: points, polygons: getPolygons, update: update };
    return group;
  }

  function badges(def) {
    return L.geoJSON(def.data, {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, {
          pane: "badges",
          keyboard: false,
          icon: L.divIcon({ className: "tos-nob", html: "<span>" + esc(f.properties.k) + "</span>", iconSize: [26, 26], iconAnchor: [13, 13] })
        });
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(f.properties.t, { direction: "top", offset: [0, -12], className: "tos-tip" });
        tag(l, { municipality: f.properties.id, count: f.properties.k });
      }
    });
  }

  function legendControl(spec, hasTos, hasBadges) {
    var c = L.control({ position: "bottomleft" });
    c.onAdd = function () {
      var d = L.DomUtil.create("div", "tos-legend");
      var h = "<div class='tos-legend-title'>" + esc(spec.legend.title) + "</div>";
      spec.legend.items.forEach(function (it) {
        h += "<div class='tos-legend-row'><i style='background:" + esc(it.c) + "'></i>" + esc(it.l) + "</div>";
      });
      if (hasTos) h += "<div class='tos-legend-row'><i class='tos-legend-tos'></i>" + esc(spec.legend.tos) + "</div>";
      if (hasBadges && spec.legend.nob) h += "<div class='tos-legend-row'><i class='tos-legend-nob'>3</i>" + esc(spec.legend.nob) + "</div>";
      if (spec.legend.demo) h += "<div class='tos-legend-note'>" + esc(spec.legend.demo) + "</div>";
      d.innerHTML = h;
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    return c;
  }

  function fit(state) {
    // Keep the legend (bottom left) from covering the territory: leave its width free on the left.
    var legend = state.legendEl;
    var left = legend ? legend.offsetWidth + 24 : 12;
    state.map.fitBounds(state.spec.bounds, { paddingTopLeft: [left, 12], paddingBottomRight: [12, 12] });
  }

  function resetControl(spec, map, state) {
    var c = L.control({ position: "topleft" });
    c.onAdd = function () {
      var d = L.DomUtil.create("div", "leaflet-bar tos-reset");
      var a = L.DomUtil.create("a", "", d);
      a.href = "#";
      a.title = spec.text.reset;
      a.setAttribute("role", "button");
      a.setAttribute("aria-label", spec.text.reset);
      a.innerHTML = "&#x2922;";
      L.DomEvent.on(a, "click", function (e) {
        L.DomEvent.preventDefault(e);
        L.DomEvent.stopPropagation(e);
        fit(state);
      });
      return d;
    };
    return c;
  }

  function render(el, spec, opts) {
    opts = opts || {};
    el.style.background = spec.background;
    var map = L.map(el, { zoomControl: true, minZoom: 2, zoomSnap: 0.5, worldCopyJump: false });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a>');
    if (spec.attribution) map.attributionControl.addAttribution(spec.attribution);
    [["context", 390], ["units", 400], ["outlines", 420], ["tos", 440], ["badges", 610]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
    });
    map.getPane("outlines").style.pointerEvents = "none";
    var state = { map: map, layers: {}, units: {}, selected: null, spec: spec, focus: {} };
    (spec.focus || []).forEach(function (id) { state.focus[id] = true; });
    state.base = function (id) { return state.focus[id] ? UNIT_FOCUS : UNIT; };
    state.select = function (id) {
      if (state.selected && state.units[state.selected]) state.units[state.selected].setStyle(state.base(state.selected));
      state.selected = id || null;
      var l = id ? state.units[id] : null;
      if (l) {
        l.setStyle(UNIT_SELECTED);
        l.bringToFront();
      }
    };
    var bases = {};
    spec.base.forEach(function (b, i) {
      var layer = b.type === "tiles" ? L.tileLayer(b.url, { attribution: b.attribution, maxZoom: b.maxZoom || 19 }) : L.layerGroup();
      bases[b.name] = layer;
      if (i === 0) layer.addTo(map);
    });
    var overlays = {};
    var hasTos = false;
    var hasBadges = false;
    spec.layers.forEach(function (def) {
      var layer = null;
      if (def.kind === "choropleth") layer = choropleth(def, state, opts);
      else if (def.kind === "context") layer = context(def);
      else if (def.kind === "outline") layer = outline(def);
      else if (def.kind === "tos") { layer = tosLayer(def, state, spec.tosMinZoom); hasTos = def.points.features.length > 0; }
      else if (def.kind === "badges") { layer = badges(def); hasBadges = true; }
      if (!layer) return;
      state.layers[def.id] = layer;
      overlays[esc(def.name)] = layer;
      if (def.show) layer.addTo(map);
    });
    L.control.layers(bases, overlays, { collapsed: true, sortLayers: false }).addTo(map);
    var legend = legendControl(spec, hasTos, hasBadges).addTo(map);
    state.legendEl = legend.getContainer();
    resetControl(spec, map, state).addTo(map);
    // At a small scale points shrink and badges hide, so they do not bury the municipalities under them;
    // from the zoom where TOS are polygons the choropleth fades, so the TOS stand out on it.
    function scale() {
      var z = map.getZoom();
      var low = z < LOW_ZOOM;
      L.DomUtil[low ? "addClass" : "removeClass"](el, "tos-low-zoom");
      if (state.tos) state.tos.points.eachLayer(function (l) { l.setRadius(low ? 2.5 : TOS_POINT.radius); });
      var fade = z >= spec.tosMinZoom ? UNIT_FADED : UNIT_OPACITY;
      if (fade !== state.unitOpacity && state.layers.units) {
        state.unitOpacity = fade;
        state.layers.units.setStyle({ fillOpacity: fade });
      }
    }
    map.on("zoomend", scale);
    fit(state);
    Object.keys(state.focus).forEach(function (id) { if (state.units[id]) state.units[id].bringToFront(); });
    scale();
    el.setAttribute("data-ready", "1");
    global.TOSMAP = state; // for tests and for debugging in the browser console
    return state;
  }

  global.TosMap = { render: render };
})(window);
