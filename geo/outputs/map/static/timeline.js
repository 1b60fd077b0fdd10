/* The timeline: a date slider over the span of report dates, a histogram of
   reports per day (per week over long spans), play and step controls, and a
   ring on every place whose posture changed since the previous report date.
   Only dates and counts are handled here.
   Never two braces in a row here (the page renders it through Jinja). */
/* exported geomapTimeline */
function geomapTimeline(api, cfg) {
    "use strict";
    var map = api.map;
    var box = document.getElementById("gm-timeline");
    var slider = document.getElementById("gm-slider");
    var canvas = document.getElementById("gm-hist");
    var playButton = document.getElementById("gm-play");
    var changedOut = document.getElementById("gm-changed");
    var rings = L.layerGroup().addTo(map);
    api.changed = [];
    if (!box || !cfg.dates.length) { return; }

    function toDays(s) { return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 864e5; }
    function fromDays(n) { return new Date(n * 864e5).toISOString().slice(0, 10); }
    var first = toDays(cfg.dates[0]);
    var span = toDays(cfg.dates[cfg.dates.length - 1]) - first;
    var bin = span > 180 ? 7 : 1;
    var bins = [];
    for (var b = 0; b <= Math.floor(span / bin); b++) { bins.push(0); }
    cfg.reports.forEach(function (r) {
        if (r[1] !== "") { bins[Math.floor((toDays(r[1]) - first) / bin)] += 1; }
    });
    var top = Math.max.apply(null, bins.concat([1]));
    slider.min = "0";
    slider.max = String(span);
    box.classList.remove("gm-hidden");
    canvas.title = "Reports per " + (bin === 1 ? "day" : "week");

    function draw(day) {
        var c = canvas.getContext("2d");
        var w = canvas.width, h = canvas.height;
        var cut = day === null ? span : toDays(day) - first;
        c.clearRect(0, 0, w, h);
        var bw = w / bins.length;
        bins.forEach(function (n, i) {
            if (!n) { return; }
            var bh = Math.max(2, Math.round((h - 2) * n / top));
            c.fillStyle = i * bin <= cut ? "#4a4a4a" : "#b8b8b8";
            c.fillRect(Math.floor(i * bw), h - bh, Math.max(1, Math.floor(bw) - (bw > 3 ? 1 : 0)), bh);
        });
    }

    function reportDate(day, before) {
        // The latest report date on or before ``day`` (strictly before when ``before``).
        var found = null;
        cfg.dates.forEach(function (d) { if (before ? d < day : d <= day) { found = d; } });
        return found;
    }

    function same(a, b) {
        if (a === null || b === null) { return a === b; }
        return a[1] === b[1] && a[2] === b[2];
    }

    function markChanges(day) {
        rings.clearLayers();
        api.changed = [];
        var now = day === null ? null : reportDate(day, false);
        var prev = now === null ? null : reportDate(now, true);
        if (now === null || prev === null) { changedOut.textContent = ""; return; }
        api.items.forEach(function (it) {
            if (it.group || !it.layer._map) { return; }
            var p = it.layer.feature.properties;
            if (same(api.statusAt(p.h, now), api.statusAt(p.h, prev))) { return; }
            api.changed.push(it.layer.feature.id);
            var ll = it.layer.getLatLng ? it.layer.getLatLng() : it.layer.getBounds().getCenter();
            L.circleMarker(ll, {radius: 12, weight: 1.5, color: "#333333", dashArray: "2 3", fill: false,
                interactive: false}).addTo(rings);
        });
        api.changed.sort(function (a, b) { return a - b; });
        changedOut.textContent = api.changed.length + (api.changed.length === 1 ? " place" : " places") +
            " changed since " + prev;
    }

    api.listeners.push(function (day) {
        if (day !== null) { slider.value = String(toDays(day) - first); }
        draw(day);
        markChanges(day);
    });
    slider.addEventListener("input", function () { api.setDate(fromDays(first + Number(slider.value))); });

    function step(dir) {
        var day = api.day === null ? cfg.dates[cfg.dates.length - 1] : api.day;
        var i, next = null;
        if (dir > 0) {
            for (i = 0; i < cfg.dates.length && next === null; i++) { if (cfg.dates[i] > day) { next = cfg.dates[i]; } }
        } else {
            next = reportDate(day, true);
        }
        if (next !== null) { api.setDate(next); }
        return next !== null;
    }
    document.getElementById("gm-prev").addEventListener("click", function () { step(-1); });
    document.getElementById("gm-next").addEventListener("click", function () { step(1); });

    var timer = null;
    function stop() {
        if (timer !== null) { clearInterval(timer); timer = null; }
        playButton.innerHTML = "&#9654;";
        playButton.setAttribute("aria-label", "Play");
    }
    playButton.addEventListener("click", function () {
        if (timer !== null) { stop(); return; }
        if (api.day !== null && api.day >= cfg.dates[cfg.dates.length - 1]) { api.setDate(cfg.dates[0]); }
        playButton.innerHTML = "&#10074;&#10074;";
        playButton.setAttribute("aria-label", "Pause");
        timer = setInterval(function () { if (!step(1)) { stop(); } }, 900);
    });
    api.step = step;
}
