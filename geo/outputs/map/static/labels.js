/* Place-name labels that declutter by zoom: the most important places first
   (cfg.rank: most reports, then latest), a label only where it overlaps no
   label already placed. Names are decoded to plain text and set with
   textContent, so a label can never hold markup.
   Never two braces in a row here (the page renders it through Jinja). */
/* exported geomapLabels */
function geomapLabels(api, cfg) {
    "use strict";
    var MAX_LABELS = 400;
    var MAX_TRIED = 4000;
    var map = api.map;
    var pane = map.createPane("gm-labels");
    pane.style.zIndex = 640;
    pane.style.pointerEvents = "none";
    var pool = Object.create(null);
    var widths = Object.create(null);
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = "600 11px system-ui, sans-serif";

    // Reference places (capitals, major cities): small grey dots under
    // everything, labelled after every site that fits.
    var ref = L.layerGroup();
    var refPool = [];
    cfg.ref.forEach(function (c) {
        L.circleMarker([c[1], c[2]], {pane: "geomapBase", interactive: false, radius: c[3] ? 3.5 : 2.5,
            weight: c[3] ? 2 : 1, color: "#555555", fillColor: c[3] ? "#ffffff" : "#777777", fillOpacity: 1}).addTo(ref);
    });
    if (cfg.ref.length) {
        ref.addTo(map);
        if (api.control && api.control.addOverlay) { api.control.addOverlay(ref, "Reference: capitals and cities (" + cfg.ref.length + ")"); }
    }
    function refLabel(i) {
        if (!refPool[i]) {
            var el = refPool[i] = L.DomUtil.create("div", "gm-label gm-ref-label", pane);
            el.textContent = api.decode(cfg.ref[i][0]);
            el._gmWidth = Math.ceil(ctx.measureText(el.textContent).width) + 6;
        }
        return refPool[i];
    }

    function anchor(layer) {
        if (layer.getLatLng) { return layer.getLatLng(); }
        return layer.getBounds().getCenter();
    }

    function label(fid) {
        var el = pool[fid];
        if (!el) {
            el = pool[fid] = L.DomUtil.create("div", "gm-label", pane);
            var name = api.decode(api.byId[fid].feature.properties.n);
            el.textContent = name.length > 40 ? name.slice(0, 39) + "\u2026" : name;
            widths[fid] = Math.ceil(ctx.measureText(el.textContent).width) + 6;
        }
        return el;
    }

    function overlaps(a, placed) {
        for (var i = 0; i < placed.length; i++) {
            var b = placed[i];
            if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) { return true; }
        }
        return false;
    }

    function place() {
        var size = map.getSize();
        var placed = [];
        var on = Object.create(null);
        var tried = 0;
        for (var i = 0; i < cfg.rank.length && placed.length < MAX_LABELS && tried < MAX_TRIED; i++) {
            var fid = cfg.rank[i];
            var rec = api.byId[fid];
            if (!rec || !rec.layer._map) { continue; }
            var ll = anchor(rec.layer);
            var p = map.latLngToContainerPoint(ll);
            if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { continue; }
            tried += 1;
            label(fid);
            var point = !!rec.layer.getLatLng;
            var x = point ? p.x + 10 : p.x - widths[fid] / 2;
            var box = [x, p.y - 8, x + widths[fid], p.y + 8];
            if (box[2] > size.x || overlaps(box, placed)) { continue; }
            placed.push(box);
            on[fid] = true;
            var el = pool[fid];
            el.style.display = "";
            L.DomUtil.setPosition(el, map.containerPointToLayerPoint([box[0], box[1]]));
        }
        Object.keys(pool).forEach(function (id) {
            if (!on[id]) { pool[id].style.display = "none"; }
        });
        api.labelled = Object.keys(on).map(Number);
        var refOn = [];
        var showRef = map.hasLayer(ref);
        cfg.ref.forEach(function (c, j) {
            if (!showRef || placed.length >= MAX_LABELS) { if (refPool[j]) { refPool[j].style.display = "none"; } return; }
            var q = map.latLngToContainerPoint([c[1], c[2]]);
            var el = q.x < 0 || q.y < 0 || q.x > size.x || q.y > size.y ? null : refLabel(j);
            var rbox = el ? [q.x + 5, q.y - 8, q.x + 5 + el._gmWidth, q.y + 8] : null;
            if (!el || rbox[2] > size.x || overlaps(rbox, placed)) { if (refPool[j]) { refPool[j].style.display = "none"; } return; }
            placed.push(rbox);
            refOn.push(j);
            el.style.display = "";
            L.DomUtil.setPosition(el, map.containerPointToLayerPoint([rbox[0], rbox[1]]));
        });
        api.refLabelled = refOn;
    }

    map.on("zoomstart", function () { pane.style.display = "none"; });
    map.on("zoomend moveend overlayadd overlayremove", function () { pane.style.display = ""; place(); });
    map.on("resize", place);
    api.listeners.push(place);
    api.placeLabels = place;
}
