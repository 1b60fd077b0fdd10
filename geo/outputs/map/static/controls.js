/* The posture map's own controls: legend, time control, search, tools, about.

   Inlined into posture.html by geo/outputs/map/controls.py, which calls
   geomapControls() with branca's variable names for the map and its layers.
   The page renders this file through Jinja a second time, so it never holds
   two braces in a row or a brace followed by '%' or '#' (assets.py checks). */
/* exported geomapControls */
function geomapControls(map, cfg, layers, groups, control) {
    "use strict";
    var items = [];
    var byId = Object.create(null);
    var api;

    function decode(s) {
        // A <template> parses without running anything; the strings are
        // already escaped, this only turns entities back into characters.
        var t = document.createElement("template");
        t.innerHTML = s;
        return t.content.textContent;
    }

    api = {
        map: map,
        control: control,
        byId: byId,
        items: items,
        decode: decode,
        badge: badge,
        reportHtml: reportHtml,
        filter: null,
        listeners: [],
        prepare: [],
        refresh: function () { setDate(api.day); },
        layers: layers,
        groups: groups,
        dates: cfg.dates,
        setDate: setDate,
        statusAt: statusAt,
        popup: popupHtml,
        name: function (id) { return byId[id] ? byId[id].feature.properties.n : ""; },
        day: null,
        counts: null
    };
    cfg.statuses.forEach(function (status) {
        layers[status].eachLayer(function (layer) {
            var f = layer.feature;
            items.push({layer: layer, group: null, cur: layers[status]});
            byId[f.id] = {feature: f, layer: layer, plain: null};
        });
    });
    // Force and actor layers are filled from the status layers' features (by
    // id) rather than carrying a second copy of the data in the page.
    groups.forEach(function (group, g) {
        cfg.groups[g].forEach(function (id) {
            if (byId[id]) { group.addData(byId[id].feature); }
        });
        group.eachLayer(function (layer) {
            items.push({layer: layer, group: group, cur: group});
        });
    });

    function badge(index) {
        var s = cfg.statuses[index];
        return '<span class="gm-s gm-s-' + s + '">' + cfg.labels[s] + "</span>";
    }

    // A row of cfg.reports: [fid, date, inferred, status, outlet, force, actor,
    // evidence HTML, url, doc, trigger, confidence]; strings were escaped in
    // Python (safe_text, highlight, safe_url) before they were put in the data.
    function reportHtml(r, later) {
        var out = badge(r[3]) + " <b>" + (r[4] >= 0 ? cfg.outlets[r[4]] : "") + "</b> &middot; " +
            (r[1] || "date unknown") + (r[2] ? " (inferred)" : "") + (later ? " (after the selected date)" : "") +
            '<div class="gm-ev">&ldquo;' + r[7] + "&rdquo;</div>";
        if (r[8]) { out += '<a href="' + r[8] + '" target="_blank" rel="noopener noreferrer">open source</a>'; }
        var meta = [];
        if (r[5] >= 0) { meta.push("force: " + cfg.forces[r[5]]); }
        if (r[9]) { meta.push("doc: " + r[9]); }
        if (r[10]) { meta.push("trigger: " + r[10]); }
        if (r[11] !== null) { meta.push("confidence " + r[11].toFixed(2)); }
        return out + '<div class="gm-meta">' + meta.join(" &middot; ") + "</div>";
    }

    // The place's status day by day, oldest first: a row where it changes,
    // with the outlets of that day, and a flag where they disagree.
    function historyHtml(p) {
        var days = Object.create(null);
        p.r.forEach(function (k) {
            var r = cfg.reports[k];
            var d = days[r[1]] || (days[r[1]] = []);
            d.push(r);
        });
        var rows = [];
        var prev = null;
        p.h.forEach(function (entry) {
            var reports = days[entry[0]] || [];
            if (prev !== null && entry[1] === prev && !entry[2]) { return; }
            prev = entry[1];
            var later = api.day !== null && entry[0] !== "" && entry[0] > api.day;
            var names = [];
            reports.forEach(function (r) {
                var name = r[4] >= 0 ? cfg.outlets[r[4]] : "?";
                var item = entry[2] ? name + " (" + cfg.labels[cfg.statuses[r[3]]].toLowerCase() + ")" : name;
                if (names.indexOf(item) < 0) { names.push(item); }
            });
            rows.push((later ? '<li class="gm-later">' : "<li>") + '<span class="gm-hist-day">' +
                (entry[0] || "undated") + "</span> " + badge(entry[1]) +
                (entry[2] ? ' <span class="gm-conflict">&#9888; sources disagree:</span> ' : " ") +
                '<span class="gm-meta">' + names.join(", ") + "</span></li>");
        });
        return '<div class="gm-hist"><div class="gm-hist-title">History</div><ol class="gm-hist-list">' +
            rows.join("") + "</ol></div>";
    }

    function popupHtml(id) {
        var rec = byId[id];
        if (!rec) { return ""; }
        var p = rec.feature.properties;
        var entry = statusAt(p.h, api.day) || p.h[p.h.length - 1];
        var total = p.r.length;
        var out = '<div class="gm-pop"><div class="gm-title">' + p.n + "</div><div>" + badge(entry[1]);
        if (entry[2]) {
            out += ' <span class="gm-conflict">&#9888; Conflicting reports' + (entry[0] ? " on " + entry[0] : "") + "</span>";
        }
        out += '</div><div class="gm-meta">' + p.m + " &middot; " + total + (total === 1 ? " report" : " reports") + "</div>";
        if (p.h.length > 1 || p.h[0][2]) { out += historyHtml(p); }
        out += "<ol>";
        p.r.slice(0, cfg.popupMax).forEach(function (k) {
            var r = cfg.reports[k];
            var later = api.day !== null && r[1] !== "" && r[1] > api.day;
            out += (later ? '<li class="gm-later">' : "<li>") + reportHtml(r, later) + "</li>";
        });
        out += "</ol>";
        if (total > cfg.popupMax) { out += '<div class="gm-meta">&hellip; and ' + (total - cfg.popupMax) + " older reports</div>"; }
        return out + "</div>";
    }

    function statusAt(hist, day) {
        var found = null;
        for (var i = 0; i < hist.length; i++) {
            if (day === null || hist[i][0] <= day) { found = hist[i]; }
        }
        return found;
    }

    function shapePath(p, r, shape) {
        // SVG path of a square or triangle the size of the circle of radius r.
        var x = p.x, y = p.y, s;
        if (shape === "square") {
            s = r * 0.9;
            return "M" + (x - s) + "," + (y - s) + "L" + (x + s) + "," + (y - s) +
                "L" + (x + s) + "," + (y + s) + "L" + (x - s) + "," + (y + s) + "z";
        }
        if (shape === "triangle") {
            s = r * 1.25;
            return "M" + x + "," + (y - s) + "L" + (x + s) + "," + (y + s * 0.8) + "L" + (x - s) + "," + (y + s * 0.8) + "z";
        }
        return null;
    }

    function setShape(layer, shape) {
        // A point stays an L.CircleMarker (styles, popups and clicks work as
        // before); only the outline of its SVG path changes with its status.
        layer._gmShape = shape;
        if (!layer._gmShaped) {
            layer._gmShaped = true;
            var circle = layer._updatePath;
            layer._updatePath = function () {
                var d = this._renderer && this._renderer._setPath ? shapePath(this._point, this._radius, this._gmShape) : null;
                if (d && !this._empty()) { this._renderer._setPath(this, d); } else { circle.call(this); }
            };
        }
        if (layer._map) { layer.redraw(); }
    }

    function styleFor(layer, entry) {
        var colour = cfg.colours[cfg.statuses[entry[1]]];
        var dash = entry[2] ? "6 4" : null;
        if (layer instanceof L.CircleMarker) {
            return {fillColor: colour, color: "#222222", dashArray: dash ? "3 2" : null};
        }
        return {color: colour, fillColor: colour, dashArray: dash};
    }

    function order() {
        // Areas go under lines so both stay clickable; points have their own pane.
        items.forEach(function (it) {
            if (!it.layer._map) { return; }
            if (it.layer instanceof L.Polygon) { it.layer.bringToBack(); }
        });
        items.forEach(function (it) {
            if (!it.layer._map) { return; }
            if (!(it.layer instanceof L.Polygon) && it.layer instanceof L.Polyline) { it.layer.bringToFront(); }
        });
    }

    function relabel(counts, groupCounts) {
        if (!control || !control._layers || typeof control._update !== "function") { return; }
        control._layers.forEach(function (entry) {
            for (var s in layers) {
                if (entry.layer === layers[s]) { entry.name = cfg.labels[s] + " (" + counts[s] + ")"; }
            }
            var g = groups.indexOf(entry.layer);
            if (g >= 0) { entry.name = entry.name.replace(/ \(\d+\)$/, "") + " (" + groupCounts[g] + ")"; }
        });
        control._update();
    }

    function setDate(day) {
        api.day = day;
        api.prepare.forEach(function (fn) { fn(day); });
        var counts = {};
        cfg.statuses.forEach(function (s) { counts[s] = 0; });
        var groupCounts = groups.map(function () { return 0; });
        items.forEach(function (it) {
            var entry = statusAt(it.layer.feature.properties.h, day);
            var target = null;
            if (entry !== null && api.filter) {
                if (!api.filter(it.layer.feature.id, entry)) { entry = null; }
            }
            if (entry !== null) { target = it.group || layers[cfg.statuses[entry[1]]]; }
            if (it.cur !== target) {
                if (it.cur) { it.cur.removeLayer(it.layer); }
                if (target) { target.addLayer(it.layer); }
                it.cur = target;
            }
            if (entry !== null) {
                it.layer.setStyle(styleFor(it.layer, entry));
                if (it.layer instanceof L.CircleMarker) { setShape(it.layer, cfg.shapes[cfg.statuses[entry[1]]]); }
                if (it.group) { groupCounts[groups.indexOf(it.group)] += 1; }
                else { counts[cfg.statuses[entry[1]]] += 1; }
            }
        });
        cfg.statuses.forEach(function (s) {
            var el = document.getElementById("gm-count-" + s);
            if (el) { el.textContent = String(counts[s]); }
        });
        var asOf = document.getElementById("gm-asof");
        if (asOf) { asOf.textContent = day === null ? cfg.undatedLabel : day; }
        relabel(counts, groupCounts);
        order();
        api.day = day;
        api.counts = counts;
        api.listeners.forEach(function (fn) { fn(day); });
    }

    function panel(id, position, classes) {
        var el = document.getElementById(id);
        var Ctl = L.Control.extend({
            onAdd: function () {
                var box = L.DomUtil.create("div", "leaflet-control " + (classes || "gm-panel"));
                box.appendChild(el);
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            }
        });
        new Ctl({position: position}).addTo(map);
        return el;
    }

    // Legend and time control.
    panel("gm-legend", "bottomright");
    var select = document.getElementById("gm-date");
    if (select) {
        select.addEventListener("change", function () {
            setDate(select.value === "" ? null : select.value);
        });
        api.listeners.push(function (day) {
            // The drop-down shows the latest report date on or before the day.
            var shown = "";
            cfg.dates.forEach(function (d) { if (day !== null && d <= day) { shown = d; } });
            if (shown && select.value !== shown) { select.value = shown; }
        });
    }

    // Search by place name among the places shown on the selected date.
    panel("gm-search", "topleft", "gm-panel gm-search");
    var input = document.getElementById("gm-search-input");
    var results = document.getElementById("gm-search-results");
    function search() {
        var q = input.value.trim().toLowerCase();
        while (results.firstChild) { results.removeChild(results.firstChild); }
        if (!q) { return; }
        var hits = [];
        Object.keys(byId).forEach(function (id) {
            var rec = byId[id];
            if (rec.plain === null) { rec.plain = decode(rec.feature.properties.n); }
            if (rec.layer._map && rec.plain.toLowerCase().indexOf(q) >= 0) { hits.push(rec); }
        });
        hits.sort(function (a, b) { return a.plain < b.plain ? -1 : (a.plain > b.plain ? 1 : 0); });
        hits.slice(0, 12).forEach(function (rec) {
            var li = document.createElement("li");
            li.textContent = rec.plain;
            // Focusable and operable from the keyboard, like a button.
            li.tabIndex = 0;
            li.setAttribute("role", "button");
            function go() {
                if (rec.layer.getBounds) { map.fitBounds(rec.layer.getBounds(), {maxZoom: 9}); }
                else { map.setView(rec.layer.getLatLng(), Math.max(map.getZoom(), 8)); }
                if (rec.layer._map) { rec.layer.openPopup(); }
            }
            li.addEventListener("click", go);
            li.addEventListener("keydown", function (e) {
                if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
                else if (e.key === "ArrowDown" && li.nextSibling) { e.preventDefault(); li.nextSibling.focus(); }
                else if (e.key === "ArrowUp") { e.preventDefault(); (li.previousSibling || input).focus(); }
            });
            results.appendChild(li);
        });
    }
    input.addEventListener("input", search);
    input.addEventListener("keydown", function (e) {
        // Arrow down walks into the results; Enter takes the first one.
        if (!results.firstChild) { return; }
        if (e.key === "ArrowDown") { e.preventDefault(); results.firstChild.focus(); }
        else if (e.key === "Enter") { e.preventDefault(); results.firstChild.click(); }
    });

    // Tools: full screen and distance measurement, plain Leaflet.
    panel("gm-tools", "topleft", "gm-tools leaflet-bar");
    panel("gm-measure-box", "topleft", "gm-panel gm-measure-box gm-hidden");
    var fsButton = document.getElementById("gm-fullscreen");
    fsButton.addEventListener("click", function (e) {
        e.preventDefault();
        var box = map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (box.requestFullscreen) { box.requestFullscreen(); }
    });
    document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });

    var measuring = false;
    var measurePts = [];
    var measureLayer = L.layerGroup().addTo(map);
    var measureOut = document.getElementById("gm-measure-out");
    var measureButton = document.getElementById("gm-measure");
    function measureText() {
        var metres = 0;
        for (var i = 1; i < measurePts.length; i++) { metres += map.distance(measurePts[i - 1], measurePts[i]); }
        return (metres / 1000).toFixed(1) + " km (" + (metres / 1852).toFixed(1) + " NM)";
    }
    measureButton.addEventListener("click", function (e) {
        e.preventDefault();
        measuring = !measuring;
        measureButton.classList.toggle("gm-on", measuring);
        map.getContainer().style.cursor = measuring ? "crosshair" : "";
        measurePts = [];
        measureLayer.clearLayers();
        measureOut.textContent = measuring ? "click points on the map" : "";
        measureOut.parentNode.parentNode.classList.toggle("gm-hidden", !measuring);
    });
    map.on("popupopen", function () {
        // While measuring, clicks are for placing points, not for popups.
        if (measuring) { map.closePopup(); }
    });
    map.on("click", function (e) {
        if (!measuring) { return; }
        measurePts.push(e.latlng);
        measureLayer.clearLayers();
        L.polyline(measurePts, {color: "#000000", weight: 2, dashArray: "4 4", interactive: false}).addTo(measureLayer);
        measurePts.forEach(function (p) {
            L.circleMarker(p, {radius: 3, color: "#000000", interactive: false}).addTo(measureLayer);
        });
        measureOut.textContent = measureText();
    });

    // Mouse position.
    var mouse = panel("gm-mouse", "bottomleft", "gm-panel gm-mouse");
    map.on("mousemove", function (e) {
        mouse.textContent = e.latlng.lat.toFixed(4) + ", " + e.latlng.lng.toFixed(4);
    });

    // About panel, folded by default.
    panel("gm-about-box", "bottomleft");
    var aboutButton = document.getElementById("gm-about-toggle");
    var about = document.getElementById("gm-about");
    aboutButton.addEventListener("click", function (e) {
        e.preventDefault();
        about.classList.toggle("gm-hidden");
    });

    map.on("overlayadd", order);

    window.geomap = api;
    window.geomapLayers = layers;
    var start = geomapFeed(api, cfg);
    geomapLabels(api, cfg);
    geomapTimeline(api, cfg);
    geomapArrows(api, cfg);
    setDate(start.day === undefined ? cfg.initial : start.day);
    // No animation: the first view is final at once (and in screenshots).
    map.fitBounds(cfg.bounds, {animate: false});
    if (start.after) { start.after(); }
}
