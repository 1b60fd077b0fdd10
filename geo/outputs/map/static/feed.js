/* The report feed: every report newest first, its filters (which filter the
   map too), and the view kept in the URL fragment.

   Called by geomapControls() with its api. Rows of cfg.reports hold strings
   escaped in Python; this file only puts fixed markup around them, and reads
   the fragment as plain values (numbers, a date, text set as an input value).
   Never two braces in a row here (the page renders it through Jinja). */
/* exported geomapFeed */
function geomapFeed(api, cfg) {
    "use strict";
    var PAGE = 100;
    var WIDTH = "360px";
    var map = api.map;
    var st = {status: {}, force: "", actor: "", outlet: "", text: "", place: null, open: true};
    cfg.statuses.forEach(function (s) { st.status[s] = true; });
    var plain = null;
    var matching = [];
    var shown = 0;
    var placeMatch = null;
    var fromFeed = false;

    var feed = document.getElementById("gm-feed");
    var list = document.getElementById("gm-feed-list");
    var more = document.getElementById("gm-feed-more");
    var count = document.getElementById("gm-feed-count");
    var text = document.getElementById("gm-f-text");
    var placeBox = document.getElementById("gm-f-place");
    var selects = ["force", "actor", "outlet"].map(function (key) {
        return {key: key, el: document.getElementById("gm-f-" + key)};
    });
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".gm-f-status"));
    document.body.appendChild(feed);

    function plainText(k) {
        // Lower-case text of a report for the text filter, decoded once on first use.
        if (plain === null) { plain = []; }
        if (plain[k] === undefined) {
            var r = cfg.reports[k];
            var parts = [r[7], api.byId[r[0]] ? api.byId[r[0]].feature.properties.n : ""];
            [[r[4], cfg.outlets], [r[5], cfg.forces], [r[6], cfg.actors]].forEach(function (pair) {
                if (pair[0] >= 0) { parts.push(pair[1][pair[0]]); }
            });
            plain[k] = api.decode(parts.join(" \n ")).toLowerCase();
        }
        return plain[k];
    }

    function passes(k, day, withStatus, withPlace) {
        var r = cfg.reports[k];
        if (day !== null && r[1] !== "" && r[1] > day) { return false; }
        if (withStatus && !st.status[cfg.statuses[r[3]]]) { return false; }
        if (st.force !== "" && r[5] !== Number(st.force)) { return false; }
        if (st.actor !== "" && r[6] !== Number(st.actor)) { return false; }
        if (st.outlet !== "" && r[4] !== Number(st.outlet)) { return false; }
        if (withPlace && st.place !== null && r[0] !== st.place) { return false; }
        return !st.text || plainText(k).indexOf(st.text) >= 0;
    }

    // Before each redraw: which places have a report passing the filters
    // other than status (the status filter applies to the place's own status).
    api.prepare.push(function (day) {
        placeMatch = null;
        if (st.force === "" && st.actor === "" && st.outlet === "" && !st.text) { return; }
        placeMatch = Object.create(null);
        for (var k = 0; k < cfg.reports.length; k++) {
            if (passes(k, day, false, false)) { placeMatch[cfg.reports[k][0]] = true; }
        }
    });
    api.statusShown = function (index) { return st.status[cfg.statuses[index]]; };
    api.filter = function (fid, entry) {
        if (!st.status[cfg.statuses[entry[1]]]) { return false; }
        return placeMatch === null || placeMatch[fid] === true;
    };

    function itemHtml(k) {
        var r = cfg.reports[k];
        var rec = api.byId[r[0]];
        var meta = [];
        if (r[5] >= 0) { meta.push(cfg.forces[r[5]]); }
        if (r[6] >= 0) { meta.push(cfg.actors[r[6]]); }
        if (r[4] >= 0) { meta.push(cfg.outlets[r[4]]); }
        return '<li class="gm-fi" tabindex="0" role="button" data-k="' + k + '"><div class="gm-fi-head">' +
            '<span class="gm-fi-date">' + (r[1] || "undated") + (r[2] ? " (inferred)" : "") + "</span> " +
            api.badge(r[3]) + " <b>" + (rec ? rec.feature.properties.n : "") + "</b></div>" +
            '<div class="gm-meta">' + meta.join(" &middot; ") + "</div>" +
            '<div class="gm-ev">&ldquo;' + r[7] + "&rdquo;</div></li>";
    }

    function showMore() {
        var end = Math.min(shown + PAGE, matching.length);
        var html = [];
        for (var i = shown; i < end; i++) { html.push(itemHtml(matching[i])); }
        list.insertAdjacentHTML("beforeend", html.join(""));
        shown = end;
        more.classList.toggle("gm-hidden", shown >= matching.length);
    }

    function render(day) {
        matching = [];
        for (var k = 0; k < cfg.reports.length; k++) {
            if (passes(k, day, true, true)) { matching.push(k); }
        }
        list.textContent = "";
        list.scrollTop = 0;
        shown = 0;
        showMore();
        count.textContent = "(" + matching.length + " of " + cfg.reports.length + ")";
        placeBox.classList.toggle("gm-hidden", st.place === null);
        if (st.place !== null) {
            document.getElementById("gm-f-place-name").textContent = api.decode(api.name(st.place));
        }
    }

    function openReport(k) {
        var fid = cfg.reports[k][0];
        var rec = api.byId[fid];
        if (!rec) { return; }
        var layer = rec.layer;
        fromFeed = true;
        map.closePopup();
        map.once("moveend", function () {
            fromFeed = true;
            if (layer._map) { layer.openPopup(); }
            else {
                L.popup({maxWidth: 460, maxHeight: 380}).setLatLng(layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng())
                    .setContent(api.popup(fid)).openOn(map);
            }
            fromFeed = false;
        });
        if (layer.getBounds) { map.flyToBounds(layer.getBounds(), {maxZoom: 9, duration: 0.4}); }
        else { map.flyTo(layer.getLatLng(), Math.max(map.getZoom(), 8), {duration: 0.4}); }
    }
    api.openReport = openReport;

    function pick(e) {
        var li = e.target.closest ? e.target.closest(".gm-fi") : null;
        if (li && list.contains(li)) { openReport(Number(li.getAttribute("data-k"))); }
        return li;
    }
    list.addEventListener("click", pick);
    list.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { if (pick(e)) { e.preventDefault(); } }
        else if (e.key === "ArrowDown" && e.target.nextSibling) { e.preventDefault(); e.target.nextSibling.focus(); }
        else if (e.key === "ArrowUp" && e.target.previousSibling) { e.preventDefault(); e.target.previousSibling.focus(); }
    });
    feed.addEventListener("scroll", function () {
        if (shown < matching.length && feed.scrollTop + feed.clientHeight > feed.scrollHeight - 200) { showMore(); }
    });
    more.addEventListener("click", showMore);

    // A place clicked on the map filters the feed to it.
    map.on("popupopen", function (e) {
        var layer = e.popup._source;
        if (fromFeed || !layer || !layer.feature || st.place === layer.feature.id) { return; }
        st.place = layer.feature.id;
        render(api.day);
        save();
    });
    document.getElementById("gm-f-place-clear").addEventListener("click", function (e) {
        e.preventDefault();
        st.place = null;
        api.refresh();
    });

    function readFilters() {
        cfg.statuses.forEach(function (s, i) { st.status[s] = boxes[i].checked; });
        selects.forEach(function (sel) { st[sel.key] = sel.el.value; });
        st.text = text.value.trim().toLowerCase();
        api.refresh();
    }
    boxes.forEach(function (b) { b.addEventListener("change", readFilters); });
    selects.forEach(function (sel) { sel.el.addEventListener("change", readFilters); });
    text.addEventListener("input", readFilters);

    // Open and close: the map gives up the panel's width rather than hiding under it.
    var openBox = document.getElementById("gm-feed-open-box");
    var Ctl = L.Control.extend({
        onAdd: function () {
            var box = L.DomUtil.create("div", "leaflet-control gm-panel gm-feed-open");
            box.appendChild(openBox);
            L.DomEvent.disableClickPropagation(box);
            return box;
        }
    });
    new Ctl({position: "topleft"}).addTo(map);
    function setOpen(open) {
        st.open = open;
        feed.classList.toggle("gm-hidden", !open);
        openBox.parentNode.classList.toggle("gm-hidden", open);
        map.getContainer().style.width = open ? "calc(100% - " + WIDTH + ")" : "";
        feed.style.width = WIDTH;
        map.invalidateSize({pan: false});
        save();
    }
    document.getElementById("gm-feed-close").addEventListener("click", function (e) { e.preventDefault(); setOpen(false); });
    document.getElementById("gm-feed-open").addEventListener("click", function (e) { e.preventDefault(); setOpen(true); });

    // The view in the URL fragment: #d=date&st=statuses&force=i&actor=i&outlet=i&q=text&p=place&feed=0
    function save() {
        var parts = [];
        if (api.day !== null) { parts.push("d=" + api.day); }
        var on = cfg.statuses.filter(function (s) { return st.status[s]; });
        if (on.length !== cfg.statuses.length) { parts.push("st=" + on.join(",")); }
        selects.forEach(function (sel) { if (st[sel.key] !== "") { parts.push(sel.key + "=" + st[sel.key]); } });
        if (text.value.trim()) { parts.push("q=" + encodeURIComponent(text.value.trim())); }
        if (st.place !== null) { parts.push("p=" + st.place); }
        if (!st.open) { parts.push("feed=0"); }
        var hash = parts.join("&");
        if (location.hash.replace(/^#/, "") === hash) { return; }
        try { history.replaceState(null, "", "#" + hash); } catch (err) { location.hash = hash; }
    }
    api.listeners.push(function (day) { render(day); save(); });

    function restore() {
        var out = {};
        location.hash.replace(/^#/, "").split("&").forEach(function (part) {
            var eq = part.indexOf("=");
            if (eq <= 0) { return; }
            var value;
            try { value = decodeURIComponent(part.slice(eq + 1)); } catch (err) { return; }
            out[part.slice(0, eq)] = value;
        });
        var start = {};
        if (/^\d\d\d\d-\d\d-\d\d$/.test(out.d || "")) { start.day = out.d; }
        if (out.st !== undefined) {
            var on = out.st.split(",");
            cfg.statuses.forEach(function (s, i) { boxes[i].checked = on.indexOf(s) >= 0; });
        }
        selects.forEach(function (sel) {
            var n = Number(out[sel.key]);
            if (out[sel.key] !== undefined && /^\d+$/.test(out[sel.key]) && n < sel.el.options.length - 1) {
                sel.el.value = String(n);
            }
        });
        if (out.q !== undefined) { text.value = out.q.slice(0, 200); }
        if (/^\d+$/.test(out.p || "") && api.byId[Number(out.p)]) { st.place = Number(out.p); }
        cfg.statuses.forEach(function (s, i) { st.status[s] = boxes[i].checked; });
        selects.forEach(function (sel) { st[sel.key] = sel.el.value; });
        st.text = text.value.trim().toLowerCase();
        var open = out.feed !== "0" && window.innerWidth >= 800;
        setOpen(open);
        start.after = function () {
            if (st.place === null) { return; }
            var layer = api.byId[st.place].layer;
            fromFeed = true;
            if (layer._map) { layer.openPopup(); }
            fromFeed = false;
        };
        return start;
    }
    return restore();
}
