/* Movement arrows: a curved line from origin to destination in the status
   colour, an arrowhead of fixed size in pixels, a popup quoting the evidence.
   Rows of cfg.moves hold strings escaped in Python; this file only puts fixed
   markup around them.
   Never two braces in a row here (the page renders it through Jinja). */
/* exported geomapArrows */
function geomapArrows(api, cfg) {
    "use strict";
    var map = api.map;
    var HEAD = 13;
    api.arrows = [];
    if (!cfg.moves.length) { return; }
    var pane = map.createPane("gm-moves");
    pane.style.zIndex = 450;  // above areas and lines, under the sites
    var group = L.layerGroup().addTo(map);
    if (api.control && api.control.addOverlay) { api.control.addOverlay(group, "Movements (" + cfg.moves.length + ")"); }

    function curve(m) {
        // A quadratic Bezier bowed to the left of the way, in zoom-0 pixels so
        // the bow looks the same at every latitude.
        var a = map.project([m[0], m[1]], 0), b = map.project([m[2], m[3]], 0);
        var dx = b.x - a.x, dy = b.y - a.y;
        var c = L.point((a.x + b.x) / 2 + dy * 0.2, (a.y + b.y) / 2 - dx * 0.2);
        var pts = [];
        for (var i = 0; i <= 24; i++) {
            var t = i / 24, u = 1 - t;
            pts.push(map.unproject(L.point(u * u * a.x + 2 * u * t * c.x + t * t * b.x,
                u * u * a.y + 2 * u * t * c.y + t * t * b.y), 0));
        }
        return pts;
    }

    function popupHtml(m) {
        var out = '<div class="gm-pop gm-move-pop"><div class="gm-title">Movement: ' + m[5] + " &rarr; " + m[6] + "</div>" +
            "<div>" + api.badge(m[4]) + " " + m[10] + (m[11] ? " &middot; " + m[11] : "") + "</div>" +
            '<div class="gm-meta">' + m[9] + " &middot; " + (m[7] || "date unknown") + (m[8] ? " (inferred)" : "") + "</div>" +
            '<div class="gm-ev">&ldquo;' + m[12] + "&rdquo;</div>";
        if (m[13]) { out += '<a href="' + m[13] + '" target="_blank" rel="noopener noreferrer">open source</a>'; }
        return out + "</div>";
    }

    cfg.moves.forEach(function (m) {
        var colour = cfg.colours[cfg.statuses[m[4]]];
        var pts = curve(m);
        var line = L.polyline(pts, {pane: "gm-moves", color: colour, weight: 3, opacity: 0.95,
            dashArray: m[4] === 1 ? "8 5" : null});
        pts[24] = L.latLng(m[2], m[3]);  // the curve ends on the destination itself
        var head = L.polygon([pts[24], pts[23], pts[24]], {pane: "gm-moves", color: colour, fillColor: colour,
            fillOpacity: 1, weight: 1});
        [line, head].forEach(function (l) {
            l.bindPopup(function () { return popupHtml(m); }, {maxWidth: 420, maxHeight: 380});
        });
        api.arrows.push({line: line, head: head, pts: pts, row: m, shown: false});
    });

    function heads() {
        // The arrowhead is drawn again at each zoom so it keeps its size in pixels.
        var z = map.getZoom();
        api.arrows.forEach(function (a) {
            if (!a.shown) { return; }
            // Unrounded pixels at this zoom, so the tip is the destination exactly.
            var tip = map.project(a.pts[24], z);
            var back = map.project(a.pts[21], z);
            var len = tip.distanceTo(back) || 1;
            var ux = (tip.x - back.x) / len, uy = (tip.y - back.y) / len;
            var base = L.point(tip.x - ux * HEAD, tip.y - uy * HEAD);
            a.head.setLatLngs([tip, L.point(base.x - uy * HEAD * 0.5, base.y + ux * HEAD * 0.5),
                L.point(base.x + uy * HEAD * 0.5, base.y - ux * HEAD * 0.5)].map(function (p) {
                return map.unproject(p, z);
            }));
        });
    }

    api.listeners.push(function (day) {
        api.arrows.forEach(function (a) {
            var m = a.row;
            var show = (day === null || m[7] === "" || m[7] <= day) && (!api.statusShown || api.statusShown(m[4]));
            if (show && !a.shown) { group.addLayer(a.line); group.addLayer(a.head); }
            if (!show && a.shown) { group.removeLayer(a.line); group.removeLayer(a.head); }
            a.shown = show;
        });
        heads();
    });
    map.on("zoomend", heads);
}
